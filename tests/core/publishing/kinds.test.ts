/** The document kinds table: what a change dirties, who owns a path, what a render holds. */
import { parseJsonFeed, parseRssFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import { catalogEntryOf } from "../../../src/core/catalog.ts";
import { MemoryCatalog } from "../../../src/core/publishing/catalog-view.ts";
import {
  documentCount,
  type KindContext,
  type Prepared,
  planTarget,
  targetExists,
  targetOfDoc,
  targetsDirtiedBy,
} from "../../../src/core/publishing/kinds.ts";
import { utf8Length } from "../../../src/core/publishing/limits.ts";
import { prepareRecord } from "../../../src/core/publishing/prepare.ts";
import { targetKey } from "../../../src/core/publishing/targets.ts";
import type { StoredArticle } from "../../../src/core/stored-article.ts";
import { parsePath } from "../../../src/core/urls.ts";
import { article, testSite } from "../../support/catalog-fixtures.ts";

const site = testSite({ ARCHIVE_PAGE_SIZE: "10", FEED_SIZE: "5" });
const ctx: KindContext = { site, feedMaxBytes: site.feedMaxBytes, nowMs: Date.UTC(2026, 11, 1) };

function record(
  slug: string,
  seq: number,
  overrides: Parameters<typeof article>[0] = {},
): StoredArticle {
  const a = article({
    published: new Date(Date.UTC(2020, 0, 1) + seq * 3_600_000).toISOString(),
    ...overrides,
  });
  return { schemaVersion: 1, slug, article: a, created: a.published, updated: a.published, seq };
}

function world(records: StoredArticle[]) {
  const catalog = new MemoryCatalog(records.map((r) => catalogEntryOf(r)));
  const prepared = new Map<string, Prepared>(records.map((r) => [r.slug, prepareRecord(site, r)]));
  return { catalog, prepared };
}

describe("targetsDirtiedBy", () => {
  it("a change dirties the site, each of its scopes, its archive page, its page, the sitemaps and the scope directory", () => {
    const entry = catalogEntryOf(
      record("s", 7, {
        categories: [{ slug: "politics", label: "سياسة" }],
        authors: [
          { slug: "a1", name: "أ" },
          { slug: "a2", name: "ب" },
        ],
      }),
    );
    expect(targetsDirtiedBy(site, entry).map(targetKey).sort()).toEqual(
      [
        "scope:site",
        "scope:category:politics",
        "scope:author:a1",
        "scope:author:a2",
        "archive:1",
        "article:s",
        "search",
        "sitemap:1",
        "directory",
      ].sort(),
    );
  });

  it("the article that completes a page also renders the next (open) one", () => {
    const keys = targetsDirtiedBy(site, catalogEntryOf(record("s", 10))).map(targetKey);
    expect(keys).toContain("archive:1");
    expect(keys).toContain("archive:2");
  });

  it("both versions count: an article moved between categories dirties both", () => {
    const before = catalogEntryOf(record("s", 1, { categories: [{ slug: "old", label: "قديم" }] }));
    const after = catalogEntryOf(record("s", 1, { categories: [{ slug: "new", label: "جديد" }] }));
    const keys = targetsDirtiedBy(site, before, after).map(targetKey);
    expect(keys).toContain("scope:category:old");
    expect(keys).toContain("scope:category:new");
  });
});

describe("targetOfDoc", () => {
  it.each([
    ["/", "scope:site"],
    ["/feed.json", "scope:site"],
    ["/categories/politics/atom.xml", "scope:category:politics"],
    ["/authors/a1/feed.xml", "scope:author:a1"],
    ["/archive/3/feed.json", "archive:3"],
    ["/feed.html", "scope:site"],
    ["/categories/politics/feed.html", "scope:category:politics"],
    ["/authors/a1/feed.html", "scope:author:a1"],
    ["/archive/3/feed.html", "archive:3"],
    ["/articles/x", "article:x"],
    ["/sitemap.xml", "search"],
    ["/news-sitemap.xml", "search"],
    ["/robots.txt", "search"],
    ["/sitemaps/2.xml", "sitemap:2"],
  ])("%s is rendered by %s", (path, key) => {
    const doc = parsePath(path);
    const target = doc && targetOfDoc(doc);
    expect(target && targetKey(target)).toBe(key);
  });
});

describe("planTarget and render", () => {
  const records = Array.from({ length: 12 }, (_, i) => record(`story-${i + 1}`, i + 1));
  const { catalog, prepared } = world(records);

  it("a scope's feeds hold its newest FEED_SIZE live articles; the site's also gives the home page", () => {
    const job = planTarget({ kind: "scope", scope: { kind: "site" } }, catalog, ctx);
    expect(job?.slugs).toEqual(["story-12", "story-11", "story-10", "story-9", "story-8"]);
    const docs = job?.render(prepared) ?? [];
    expect(docs.map((d) => d.path)).toEqual([
      "/feed.xml",
      "/atom.xml",
      "/feed.json",
      "/feed.html",
      "/",
    ]);
    const items = parseJsonFeed(JSON.parse(docs[2]?.body ?? "")).items ?? [];
    expect(items.map((i) => i.id)).toEqual(
      job?.slugs.map((s) => `https://news.example/articles/${s}`),
    );
  });

  it("a record that could not be read is left out; the rest still render", () => {
    const job = planTarget({ kind: "scope", scope: { kind: "site" } }, catalog, ctx);
    const some = new Map(prepared);
    some.delete("story-11");
    const rss = parseRssFeed(job?.render(some)[0]?.body ?? "");
    expect(rss.items?.map((i) => i.guid?.value)).toEqual(
      ["story-12", "story-10", "story-9", "story-8"].map(
        (s) => `https://news.example/articles/${s}`,
      ),
    );
  });

  it("archive pages hold their fixed block; pages past the open one do not exist", () => {
    const job = planTarget({ kind: "archive", page: 2 }, catalog, ctx);
    expect(job?.slugs).toEqual(["story-12", "story-11"]);
    expect(job?.render(prepared).map((d) => d.path)).toEqual([
      "/archive/2/feed.xml",
      "/archive/2/atom.xml",
      "/archive/2/feed.json",
      "/archive/2/feed.html",
    ]);
    expect(targetExists({ kind: "archive", page: 2 }, catalog, site)).toBe(true);
    expect(targetExists({ kind: "archive", page: 3 }, catalog, site)).toBe(false);
  });

  it("a render writes exactly documentCount documents, each owned by its target", () => {
    const c = new MemoryCatalog(
      records.map((r) =>
        catalogEntryOf({
          ...r,
          article: { ...r.article, categories: [{ slug: "politics", label: "سياسة" }] },
        }),
      ),
    );
    for (const target of [
      { kind: "scope", scope: { kind: "site" } },
      { kind: "scope", scope: { kind: "category", slug: "politics" } },
      { kind: "archive", page: 1 },
      { kind: "archive", page: 2 },
      { kind: "article", slug: "story-1" },
    ] as const) {
      const docs = planTarget(target, c, ctx)?.render(prepared) ?? [];
      expect(docs, targetKey(target)).toHaveLength(documentCount(target));
      for (const d of docs) {
        const doc = parsePath(d.path);
        const owner = doc && targetOfDoc(doc);
        expect(owner && targetKey(owner), d.path).toBe(targetKey(target));
      }
    }
  });

  it("a scope nobody is filed under does not exist; an article page needs its entry", () => {
    expect(
      targetExists({ kind: "scope", scope: { kind: "category", slug: "politics" } }, catalog, site),
    ).toBe(true);
    expect(
      targetExists({ kind: "scope", scope: { kind: "category", slug: "sport" } }, catalog, site),
    ).toBe(false);
    expect(targetExists({ kind: "article", slug: "story-1" }, catalog, site)).toBe(true);
    expect(targetExists({ kind: "article", slug: "nope" }, catalog, site)).toBe(false);
  });

  it("a deleted article's page is the 410 page", () => {
    const c = new MemoryCatalog(records.map((r) => catalogEntryOf(r)));
    const entry = c.entry("story-3");
    if (!entry) throw new Error("fixture");
    c.put({ ...entry, deleted: "2026-11-30T00:00:00.000Z" });
    const docs = planTarget({ kind: "article", slug: "story-3" }, c, ctx)?.render(prepared) ?? [];
    expect(docs.map((d) => [d.path, d.status])).toEqual([["/articles/story-3", 410]]);
  });
});

describe("feed byte budget", () => {
  // About 300 KB each in UTF-8: three fit in 1 MiB, four do not.
  const big = Array.from({ length: 5 }, (_, i) =>
    record(`big-${i + 1}`, i + 1, { body: `${"نص طويل جدا ".repeat(12_500)}${i}` }),
  );
  const { catalog, prepared } = world(big);

  it("a feed holds the newest items that fit in FEED_MAX_BYTES; the archive page holds them all", () => {
    const docs =
      planTarget({ kind: "scope", scope: { kind: "site" } }, catalog, ctx)?.render(prepared) ?? [];
    for (const doc of docs.slice(0, 3))
      expect(utf8Length(doc.body)).toBeLessThanOrEqual(site.feedMaxBytes);
    const rssItems = parseRssFeed(docs[0]?.body ?? "").items ?? [];
    const jsonItems = parseJsonFeed(JSON.parse(docs[2]?.body ?? "")).items ?? [];
    expect(rssItems.length).toBeGreaterThanOrEqual(2);
    expect(rssItems.length).toBeLessThan(5);
    // The same newest items in every format.
    expect(jsonItems.map((i) => i.id)).toEqual(rssItems.map((i) => i.guid?.value));
    expect(jsonItems[0]?.id).toBe("https://news.example/articles/big-5");
    const page = planTarget({ kind: "archive", page: 1 }, catalog, ctx)?.render(prepared) ?? [];
    expect(parseRssFeed(page[0]?.body ?? "").items).toHaveLength(5);
  });
});
