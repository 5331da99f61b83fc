/** An article is checked against the documents that will carry it before anything is written. */
import { describe, expect, it } from "vitest";
import { ITEM_MAX_BYTES } from "../../../src/core/publishing/limits.ts";
import { prepareRecord, publishProblems } from "../../../src/core/publishing/prepare.ts";
import { type article, storedRecord, testSite } from "../../support/catalog-fixtures.ts";

const site = testSite();
const recordOf = (overrides: Parameters<typeof article>[0]) => storedRecord(overrides);
const problems = (overrides: Parameters<typeof article>[0]) =>
  publishProblems(site, prepareRecord(site, recordOf(overrides)));

describe("publishProblems", () => {
  it("an ordinary article and a 200,000-character Arabic body can be published", () => {
    expect(problems({})).toEqual([]);
    expect(problems({ body: "ب".repeat(199_990) })).toEqual([]);
  });

  it("a body that grows past the per-item limit once rendered is refused, naming the format and the limit", () => {
    // Each " becomes &quot; (\" in JSON): 200,000 characters render to over 1 MB.
    const found = problems({ body: '"'.repeat(200_000) });
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      expect(p.path).toBe("body");
      expect(p.message).toMatch(new RegExp(`at most ${ITEM_MAX_BYTES} bytes`));
    }
    expect(found.map((p) => p.message).join(" ")).toMatch(/in the (rss|atom|json) feed/);
  });

  it("a language tag that would push the page's KV metadata over 1,024 bytes is refused", () => {
    // Validation bounds tags at ingestion; this guards records that bypassed it.
    const found = problems({ language: `ar-${"x".repeat(994)}` });
    expect(found).toEqual([
      {
        path: "language",
        message: expect.stringMatching(/KV metadata \d+ bytes; KV takes at most 1024/),
      },
    ]);
  });
});
