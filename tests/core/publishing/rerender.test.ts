/** A full re-render visits every target exactly once, in bounded batches, resumable. */
import { describe, expect, it } from "vitest";
import { documentCount } from "../../../src/core/publishing/kinds.ts";
import {
  nextRerenderBatch,
  RERENDER_START,
  type RerenderCursor,
  type RerenderSource,
} from "../../../src/core/publishing/rerender.ts";
import { targetKey } from "../../../src/core/publishing/targets.ts";

function source(
  categories: number,
  authors: number,
  pages: number,
  articles: number,
  sitemaps = 0,
): RerenderSource {
  const scopes = [
    ...Array.from({ length: authors }, (_, i) => ({
      kind: "author" as const,
      slug: `a-${String(i).padStart(3, "0")}`,
    })),
    ...Array.from({ length: categories }, (_, i) => ({
      kind: "category" as const,
      slug: `c-${String(i).padStart(3, "0")}`,
    })),
  ];
  const slugs = Array.from({ length: articles }, (_, i) => `s-${String(i).padStart(5, "0")}`);
  return {
    scopesAfter: (after, limit) =>
      scopes
        .filter(
          (s) => !after || s.kind > after.kind || (s.kind === after.kind && s.slug > after.slug),
        )
        .slice(0, limit),
    openPage: () => pages,
    sitemapPages: () => sitemaps,
    partners: () => [],
    slugsAfter: (after, limit) => slugs.filter((s) => s > after).slice(0, limit),
  };
}

function walk(src: RerenderSource, budget: number, stopAfter = Infinity) {
  const seen: string[] = [];
  let cursor: RerenderCursor | undefined = RERENDER_START;
  let batches = 0;
  while (cursor && batches < stopAfter) {
    const batch = nextRerenderBatch(cursor, src, budget);
    const docs = batch.targets.reduce((n, t) => n + documentCount(t), 0);
    expect(docs).toBeLessThanOrEqual(Math.max(budget, 4));
    seen.push(...batch.targets.map(targetKey));
    cursor = batch.next;
    batches++;
  }
  return { seen, cursor, batches };
}

describe("nextRerenderBatch", () => {
  it("visits the site, its search documents and scope directory, every scope, archive page, sitemap and article page once", () => {
    const { seen, batches } = walk(source(7, 5, 9, 95, 3), 20);
    expect(seen).toHaveLength(3 + 12 + 9 + 3 + 95);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual(["scope:site", "search", "directory"]);
    expect(seen).toContain("sitemap:3");
    expect(seen).toContain("scope:category:c-006");
    expect(seen).toContain("archive:9");
    expect(seen).toContain("article:s-00094");
    expect(batches).toBeGreaterThan(5);
  });

  it("resumes from a saved cursor without repeating or skipping (an interrupted re-render)", () => {
    const src = source(30, 30, 40, 500, 30);
    const whole = walk(src, 50).seen;
    const firstPart = walk(src, 50, 7);
    const rest: string[] = [];
    let cursor = firstPart.cursor;
    while (cursor) {
      const batch = nextRerenderBatch(JSON.parse(JSON.stringify(cursor)), src, 50);
      rest.push(...batch.targets.map(targetKey));
      cursor = batch.next;
    }
    expect([...firstPart.seen, ...rest]).toEqual(whole);
  });

  it("an empty catalogue still renders the site's documents", () => {
    expect(walk(source(0, 0, 1, 0), 800).seen).toEqual([
      "scope:site",
      "search",
      "directory",
      "archive:1",
    ]);
  });
});
