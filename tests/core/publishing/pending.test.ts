/** The change queue: whole changes, in order, as many as a commit's KV budget allows. */
import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../../src/core/catalog.ts";
import { ChangeQueue, newChange } from "../../../src/core/publishing/pending.ts";
import type { StoredArticle } from "../../../src/core/stored-article.ts";

const entry = (slug: string, title = slug) => ({ slug, seq: 1, title }) as unknown as CatalogEntry;
const record = (slug: string) => ({ slug }) as unknown as StoredArticle;
const change = (...slugs: string[]) => {
  const c = newChange(slugs.map((slug) => ({ kind: "article", slug }) as const));
  for (const slug of slugs) {
    c.records.set(slug, record(slug));
    c.entries.set(slug, entry(slug));
  }
  return c;
};
const recordsCost = (b: { records: Map<string, unknown> }) => b.records.size;

describe("ChangeQueue", () => {
  it("takes whole changes from the head while the merged batch fits the budget", () => {
    const queue = new ChangeQueue();
    queue.push(change("a", "b"));
    queue.push(change("c", "d"));
    queue.push(change("e"));
    const first = queue.take(recordsCost, 4);
    expect([...first.records.keys()]).toEqual(["a", "b", "c", "d"]);
    expect(first.dirty.list()).toHaveLength(4);
    queue.settle();
    expect([...queue.take(recordsCost, 4).records.keys()]).toEqual(["e"]);
    expect(queue.size).toBe(0);
  });

  it("a change larger than the budget is still committed, alone", () => {
    const queue = new ChangeQueue();
    queue.push(change("a", "b", "c"));
    queue.push(change("d"));
    expect(queue.take(recordsCost, 2).changes).toHaveLength(1);
    expect(queue.size).toBe(1);
  });

  it("a later change of the same article wins within a batch, and lookups see queued and in-flight versions", () => {
    const queue = new ChangeQueue();
    const first = change("a");
    const second = newChange();
    second.entries.set("a", entry("a", "newer"));
    second.records.set("a", null);
    queue.push(first);
    queue.push(second);
    expect(queue.record("a")).toBeNull();
    expect((queue.entry("a") as unknown as { title: string }).title).toBe("newer");
    const batch = queue.take(recordsCost, 10);
    expect(batch.records.get("a")).toBeNull();
    // Until settled, the batch being committed is still visible to new changes.
    expect((queue.entry("a") as unknown as { title: string }).title).toBe("newer");
    queue.settle();
    expect(queue.entry("a")).toBeUndefined();
  });
});
