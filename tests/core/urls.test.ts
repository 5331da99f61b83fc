/** The path grammar: every public document has one path, and only those paths parse. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FEED_FORMATS,
  type PublicDoc,
  parsePath,
  pathOf,
  SLUG_MAX,
  viewOf,
} from "../../src/core/urls.ts";

const slug = fc.stringMatching(/^[a-z0-9]{1,20}(?:-[a-z0-9]{1,20}){0,3}$/);
const format = fc.constantFrom(...FEED_FORMATS);
const publicDoc: fc.Arbitrary<PublicDoc> = fc.oneof(
  fc.constant({ kind: "home" } as const),
  format.map((f) => ({ kind: "feed", scope: { kind: "site" }, format: f }) as const),
  fc
    .tuple(fc.constantFrom("category" as const, "author" as const), slug, format)
    .map(([kind, s, f]) => ({ kind: "feed", scope: { kind, slug: s }, format: f }) as const),
  fc
    .tuple(fc.integer({ min: 1, max: 1_000_000 }), format)
    .map(([page, f]) => ({ kind: "archive", page, format: f }) as const),
  slug.map((s) => ({ kind: "article", slug: s }) as const),
  fc.constantFrom(
    { kind: "robots" } as const,
    { kind: "sitemap-index" } as const,
    { kind: "news-sitemap" } as const,
  ),
  fc.integer({ min: 1, max: 1_000_000 }).map((page) => ({ kind: "sitemap", page }) as const),
  fc.constant({ kind: "view", scope: { kind: "site" } } as const),
  fc
    .tuple(fc.constantFrom("category" as const, "author" as const), slug)
    .map(([kind, s]) => ({ kind: "view", scope: { kind, slug: s } }) as const),
  fc.integer({ min: 1, max: 1_000_000 }).map((page) => ({ kind: "archive-view", page }) as const),
);

describe("path grammar", () => {
  it("parses every path it builds back to the same document", () => {
    fc.assert(
      fc.property(publicDoc, (doc) => {
        expect(parsePath(pathOf(doc))).toEqual(doc);
      }),
    );
  });

  it("builds the documented paths", () => {
    expect(pathOf({ kind: "home" })).toBe("/");
    expect(pathOf({ kind: "feed", scope: { kind: "site" }, format: "rss" })).toBe("/feed.xml");
    expect(
      pathOf({ kind: "feed", scope: { kind: "category", slug: "politics" }, format: "atom" }),
    ).toBe("/categories/politics/atom.xml");
    expect(pathOf({ kind: "feed", scope: { kind: "author", slug: "a-b" }, format: "json" })).toBe(
      "/authors/a-b/feed.json",
    );
    expect(pathOf({ kind: "archive", page: 3, format: "rss" })).toBe("/archive/3/feed.xml");
    expect(pathOf({ kind: "article", slug: "x-1" })).toBe("/articles/x-1");
    expect(pathOf({ kind: "robots" })).toBe("/robots.txt");
    expect(pathOf({ kind: "sitemap-index" })).toBe("/sitemap.xml");
    expect(pathOf({ kind: "news-sitemap" })).toBe("/news-sitemap.xml");
    expect(pathOf({ kind: "sitemap", page: 4 })).toBe("/sitemaps/4.xml");
    expect(pathOf({ kind: "view", scope: { kind: "site" } })).toBe("/feed.html");
    expect(pathOf({ kind: "view", scope: { kind: "category", slug: "politics" } })).toBe(
      "/categories/politics/feed.html",
    );
    expect(pathOf({ kind: "archive-view", page: 3 })).toBe("/archive/3/feed.html");
  });

  it("names the browser view of every feed, and of nothing else", () => {
    for (const f of FEED_FORMATS) {
      expect(viewOf({ kind: "feed", scope: { kind: "author", slug: "a" }, format: f })).toEqual({
        kind: "view",
        scope: { kind: "author", slug: "a" },
      });
      expect(viewOf({ kind: "archive", page: 2, format: f })).toEqual({
        kind: "archive-view",
        page: 2,
      });
    }
    expect(viewOf({ kind: "home" })).toBeUndefined();
    expect(viewOf({ kind: "article", slug: "x" })).toBeUndefined();
    expect(viewOf({ kind: "view", scope: { kind: "site" } })).toBeUndefined();
  });

  it.each([
    "",
    "feed.xml",
    "//feed.xml",
    "/feed.xml/",
    "/FEED.XML",
    "/rss.xml",
    "/articles/",
    "/articles/Upper",
    "/articles/a--b",
    "/articles/-a",
    "/articles/a/b",
    "/articles/x/feed.xml",
    "/categories/politics",
    "/categories/politics/",
    "/categories/Pol/feed.xml",
    "/tags/politics/feed.xml",
    "/archive/0/feed.xml",
    "/archive/01/feed.xml",
    "/archive/-1/feed.xml",
    "/archive/1.5/feed.xml",
    "/archive/1e3/feed.xml",
    "/archive/9999999999/feed.xml",
    "/archive/feed.xml",
    "/sitemaps/0.xml",
    "/sitemaps/01.xml",
    "/sitemaps/1",
    "/sitemaps/1.xml.gz",
    "/sitemaps/x.xml",
    "/sitemaps/1/feed.xml",
    "/sitemap.xml/",
    "/ROBOTS.TXT",
    "/archive/01/feed.html",
    "/articles/feed.html",
    "/articles/x/feed.html",
    "/feed.htm",
    "/categories/feed.html",
    `/articles/${"a".repeat(SLUG_MAX + 1)}`,
    `/categories/${"a".repeat(600)}/feed.xml`,
    `/${"x/".repeat(400)}feed.xml`,
  ])("%j is not a public document", (path) => {
    expect(parsePath(path)).toBeUndefined();
  });

  it("accepts a slug of exactly the maximum length", () => {
    const longest = "a".repeat(SLUG_MAX);
    expect(parsePath(`/categories/${longest}/feed.json`)).toEqual({
      kind: "feed",
      scope: { kind: "category", slug: longest },
      format: "json",
    });
  });
});
