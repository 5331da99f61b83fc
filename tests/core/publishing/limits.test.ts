/** Platform limits and the feed byte budget. */
import { describe, expect, it } from "vitest";
import {
  documentLimitProblem,
  fitToBudget,
  KV_KEY_MAX_BYTES,
  KV_METADATA_MAX_BYTES,
  KV_VALUE_MAX_BYTES,
  utf8Length,
} from "../../../src/core/publishing/limits.ts";

describe("documentLimitProblem", () => {
  it("accepts what KV takes", () => {
    expect(documentLimitProblem("doc:/feed.xml", { etag: '"x"' }, 1000)).toBeUndefined();
  });

  it("names the key, metadata or value that is too large, counted in UTF-8 bytes", () => {
    expect(documentLimitProblem(`doc:/${"ع".repeat(260)}`, {}, 1)).toMatch(
      new RegExp(`KV key is 525 bytes; KV takes at most ${KV_KEY_MAX_BYTES}`),
    );
    expect(documentLimitProblem("k", { language: "x".repeat(1100) }, 1)).toMatch(
      `at most ${KV_METADATA_MAX_BYTES}`,
    );
    expect(documentLimitProblem("k", {}, KV_VALUE_MAX_BYTES + 1)).toMatch(
      `at most ${KV_VALUE_MAX_BYTES}`,
    );
  });
});

describe("fitToBudget", () => {
  const render = (items: string[]) => [{ body: `<feed>${items.join("")}</feed>` }];
  const items = Array.from({ length: 40 }, (_, i) => `<i>${"ب".repeat(10 + i)}</i>`);

  it("keeps everything when it fits, rendering once", () => {
    let renders = 0;
    const docs = fitToBudget(items, 1_000_000, (some) => {
      renders++;
      return render(some);
    });
    expect(renders).toBe(1);
    expect(docs).toEqual(render(items));
  });

  it("keeps the longest prefix (the newest items) that fits, in few renders", () => {
    for (const budget of [13, 100, 500, 1234, 2000]) {
      let renders = 0;
      const [doc] = fitToBudget(items, budget, (some) => {
        renders++;
        return render(some);
      });
      const kept = (doc?.body.match(/<i>/g) ?? []).length;
      expect(utf8Length(doc?.body ?? "")).toBeLessThanOrEqual(budget);
      // One more item would not have fitted.
      if (kept < items.length)
        expect(utf8Length(render(items.slice(0, kept + 1))[0]?.body ?? "")).toBeGreaterThan(budget);
      expect(doc?.body).toBe(render(items.slice(0, kept))[0]?.body);
      expect(renders).toBeLessThanOrEqual(2 + Math.ceil(Math.log2(items.length)));
    }
  });
});
