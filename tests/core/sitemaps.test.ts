/**
 * Sitemaps for search engines, rendered through the document kinds table from a
 * catalogue and validated with xmllint (libxml2, as xmllint-wasm) against the
 * sitemaps.org schemas and Google's News sitemap schema (tests/schemas/, origins in its
 * README), plus the rules of Google's news sitemap documentation that a schema cannot
 * say (two days, 1,000 entries).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { type CatalogEntry, catalogEntryOf } from "../../src/core/catalog.ts";
import type { RenderedDoc } from "../../src/core/documents.ts";
import { MemoryCatalog } from "../../src/core/publishing/catalog-view.ts";
import { type KindContext, planTarget } from "../../src/core/publishing/kinds.ts";
import { NEWS_SITEMAP_MAX, newsLanguage, SITEMAP_PAGE_SIZE } from "../../src/core/sitemaps.ts";
import type { StoredArticle } from "../../src/core/stored-article.ts";
import { article, testSite } from "../support/catalog-fixtures.ts";

const SCHEMAS = join(import.meta.dirname, "../schemas");
const schemaFile = (fileName: string) => ({
  fileName,
  contents: readFileSync(join(SCHEMAS, fileName), "utf8"),
});

async function schemaErrors(xml: string, schema: string, preload: string[] = []) {
  const result = await validateXML({
    xml: [{ fileName: "doc.xml", contents: xml }],
    schema: [schemaFile(schema)],
    preload: preload.map(schemaFile),
  });
  return result.errors.map((e) => e.rawMessage);
}

const NOW = Date.UTC(2026, 11, 1, 12);
const HOUR = 3_600_000;
const site = testSite({ SITE_TITLE: "القدس & <الأخبار>" });
const ctx: KindContext = { site, feedMaxBytes: site.feedMaxBytes, nowMs: NOW };

function record(
  slug: string,
  seq: number,
  hoursAgo: number,
  title = `عنوان ${seq}`,
): StoredArticle {
  const a = article({ title, published: new Date(NOW - hoursAgo * HOUR).toISOString() });
  return { schemaVersion: 1, slug, article: a, created: a.published, updated: a.published, seq };
}

const deleted = (e: CatalogEntry): CatalogEntry => ({ ...e, deleted: new Date(NOW).toISOString() });

function render(catalog: MemoryCatalog, target: Parameters<typeof planTarget>[0]): RenderedDoc[] {
  const job = planTarget(target, catalog, ctx);
  if (!job) throw new Error("no job");
  expect(job.slugs).toEqual([]); // sitemaps are made of catalogue entries: no record is read
  return job.render(new Map());
}

const byPath = (docs: RenderedDoc[], path: string) => {
  const doc = docs.find((d) => d.path === path);
  if (!doc) throw new Error(`no ${path} in ${docs.map((d) => d.path).join(", ")}`);
  return doc;
};

const xml = new XMLParser({
  ignoreAttributes: false,
  isArray: (name) => ["url", "sitemap"].includes(name),
});

describe("sitemaps", () => {
  // 2,500 articles: three child sitemaps; page 2 emptied entirely by deletions.
  const records = Array.from({ length: 2_500 }, (_, i) =>
    record(`story-${i + 1}`, i + 1, 2_500 - i, i === 2_499 ? 'A <b> & "B" — خبر' : undefined),
  );
  const entries = records.map((r) => catalogEntryOf(r));
  const catalog = new MemoryCatalog(
    entries.map((e) =>
      (e.seq > SITEMAP_PAGE_SIZE && e.seq <= 2 * SITEMAP_PAGE_SIZE) || e.seq === 3 ? deleted(e) : e,
    ),
  );

  it("a child sitemap lists the live article pages of its sequence range, valid against sitemap.xsd", async () => {
    const [page1] = render(catalog, { kind: "sitemap", page: 1 });
    expect(page1?.path).toBe("/sitemaps/1.xml");
    expect(page1?.contentType).toBe("application/xml; charset=utf-8");
    expect(await schemaErrors(page1?.body as string, "sitemap.xsd")).toEqual([]);
    const urls = xml.parse(page1?.body as string).urlset.url as { loc: string; lastmod: string }[];
    expect(urls).toHaveLength(SITEMAP_PAGE_SIZE - 1); // story-3 is deleted
    const locs = new Set(urls.map((u) => u.loc));
    expect(locs.has(`${site.url}/articles/story-1`)).toBe(true);
    expect(locs.has(`${site.url}/articles/story-3`)).toBe(false);
    const first = urls.find((u) => u.loc.endsWith("/story-1"));
    expect(Date.parse(first?.lastmod as string)).toBe(Date.parse(records[0]?.updated as string));
  });

  it("the index names only the child sitemaps that hold a live article, valid against siteindex.xsd", async () => {
    const index = byPath(render(catalog, { kind: "search" }), "/sitemap.xml");
    expect(await schemaErrors(index.body, "siteindex.xsd")).toEqual([]);
    const children = xml.parse(index.body).sitemapindex.sitemap as { loc: string }[];
    expect(children.map((c) => c.loc)).toEqual([
      `${site.url}/sitemaps/1.xml`,
      `${site.url}/sitemaps/3.xml`,
    ]);
    // The last child holds the newest 500, the escaped title among them as a URL only.
    const [page3] = render(catalog, { kind: "sitemap", page: 3 });
    expect(xml.parse(page3?.body as string).urlset.url).toHaveLength(500);
  });

  it("the news sitemap holds the last two days' articles, at most 1,000, valid against Google's schema", async () => {
    const news = byPath(render(catalog, { kind: "search" }), "/news-sitemap.xml");
    expect(
      await schemaErrors(news.body, "news-sitemap.xsd", ["sitemap.xsd", "sitemap-news.xsd"]),
    ).toEqual([]);
    const urls = xml.parse(news.body).urlset.url as {
      loc: string;
      "news:news": {
        "news:publication": { "news:name": string; "news:language": string };
        "news:publication_date": string;
        "news:title": string;
      };
    }[];
    // story-n was published 2,501 - n hours ago: 1..48 hours ago is story-2453..story-2500.
    expect(urls).toHaveLength(48);
    for (const u of urls) {
      const published = Date.parse(u["news:news"]["news:publication_date"]);
      expect(NOW - published).toBeLessThanOrEqual(2 * 24 * HOUR);
      expect(u["news:news"]["news:publication"]["news:language"]).toBe("ar");
      expect(u["news:news"]["news:publication"]["news:name"]).toBe(site.title);
    }
    expect(urls[0]?.loc).toBe(`${site.url}/articles/story-2500`);
    // Plain text stays text: the parser reads back the stored title (entities decoded).
    const decoded = new XMLParser({ isArray: (n) => n === "url", processEntities: true }).parse(
      news.body,
    );
    expect(decoded.urlset.url[0]["news:news"]["news:title"]).toBe('A <b> & "B" — خبر');
  });

  it("caps the news sitemap at 1,000 entries however many are recent", async () => {
    const recent = new MemoryCatalog(
      Array.from({ length: 1_200 }, (_, i) =>
        catalogEntryOf(record(`n-${i + 1}`, i + 1, 0.01 * (1_200 - i))),
      ),
    );
    const news = byPath(render(recent, { kind: "search" }), "/news-sitemap.xml");
    expect(xml.parse(news.body).urlset.url).toHaveLength(NEWS_SITEMAP_MAX);
    expect(
      await schemaErrors(news.body, "news-sitemap.xsd", ["sitemap.xsd", "sitemap-news.xsd"]),
    ).toEqual([]);
  });

  it("robots.txt names both sitemaps and keeps crawlers out of the admin API", () => {
    const robots = byPath(render(catalog, { kind: "search" }), "/robots.txt");
    expect(robots.contentType).toBe("text/plain; charset=utf-8");
    const lines = robots.body.split("\n");
    expect(lines).toContain(`Sitemap: ${site.url}/sitemap.xml`);
    expect(lines).toContain(`Sitemap: ${site.url}/news-sitemap.xml`);
    expect(lines).toContain("Disallow: /api/");
  });

  it.each([
    ["ar", "ar"],
    ["ar-EG", "ar"],
    ["fa-IR", "fa"],
    ["en-US", "en"],
    ["zh-Hans", "zh-cn"],
    ["zh-TW", "zh-tw"],
    ["zh-Hant-HK", "zh-tw"],
    ["ckb", "ckb"],
  ])("news language of %s is %s", (tag, expected) => {
    expect(newsLanguage(tag)).toBe(expected);
  });
});
