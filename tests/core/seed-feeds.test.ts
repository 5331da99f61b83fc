/**
 * The seed article (content/) rendered through the pure core and read back by real,
 * independent parsers: feedsmith, @rowanmanning/feed-parser, @extractus/feed-extractor,
 * and the JSON Feed 1.1 schema. The text must come back exactly as the source has it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { extractFromJson, extractFromXml } from "@extractus/feed-extractor";
import { parseFeed as rowanParse } from "@rowanmanning/feed-parser";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { decodeHTML } from "entities";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { beforeAll, describe, expect, it } from "vitest";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderJsonFeed } from "../../src/core/feeds/render-json-feed.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { renderBodyHtml } from "../../src/core/html.ts";
import { parseSiteConfig } from "../../src/core/site.ts";
import type { StoredArticle } from "../../src/core/stored-article.ts";
import { parseContentFile } from "../../tools/content/read-content.ts";

// A copy of shared/seed/article-ar.txt: the source the content file must match exactly.
const SEED = readFileSync(join(import.meta.dirname, "../fixtures/seed-article-ar.txt"), "utf8");
const [SEED_TITLE, ...rest] = SEED.split("\n");
const SEED_PARAGRAPHS = rest.join("\n").split(/\n+/).filter(Boolean);

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار القدس",
  SITE_DESCRIPTION: "آخر الأخبار",
  SITE_LANGUAGE: "ar",
});

/** Text of HTML as a reader shows it, one paragraph per line. */
function paragraphsOf(html: string): string[] {
  return decodeHTML(html.replace(/<\/p>/g, "\n").replace(/<[^>]+>/g, ""))
    .split("\n")
    .map((p) => p.trim())
    .filter(Boolean);
}

const require = createRequire(import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateJsonFeed = ajv.compile(require("jsonfeed-schema/schema-v1.1.json"));

let rss: string;
let atom: string;
let json: string;
let record: StoredArticle;

beforeAll(() => {
  const file = "content/articles/esper-denies-iraq-withdrawal-letter.md";
  const parsed = parseContentFile(file, readFileSync(file, "utf8"), site);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  record = {
    schemaVersion: 1,
    slug: parsed.value.slug,
    article: parsed.value.article,
    created: "2020-01-07T07:00:00Z",
    updated: parsed.value.article.published,
    seq: 1,
  };
  const entry = toFeedEntry(
    site,
    record,
    renderBodyHtml(site, record.article.body, record.article.format),
  );
  const doc = buildScopeFeed({ site, scope: { kind: "site" }, entries: [entry], tombstones: [] });
  rss = renderRss(doc);
  atom = renderAtom(doc);
  json = renderJsonFeed(doc);
});

describe("the seed article in content/", () => {
  it("keeps the source's title and paragraphs verbatim", () => {
    expect(record.article.title).toBe(SEED_TITLE);
    expect(record.article.body.split(/\n+/)).toEqual(SEED_PARAGRAPHS);
    expect(record.article.authors[0]?.name).toBe("سعيد عريقات");
    expect(record.article.language).toBe("ar");
  });
});

describe("RSS 2.0", () => {
  it("reads back through feedsmith with language, author, date and exact text", () => {
    const feed = parseRssFeed(rss);
    expect(feed.language).toBe("ar");
    const item = feed.items?.[0];
    expect(item?.title).toBe(SEED_TITLE);
    expect(paragraphsOf(item?.content?.encoded ?? "")).toEqual(SEED_PARAGRAPHS);
    expect(item?.dc?.creators).toContain("سعيد عريقات");
    expect(item?.pubDate).toBe("Tue, 07 Jan 2020 09:00:00 +0200");
    expect(item?.guid?.value).toBe(
      "https://news.example/articles/esper-denies-iraq-withdrawal-letter",
    );
  });

  it("reads back through @rowanmanning/feed-parser and @extractus/feed-extractor", () => {
    const rowan = rowanParse(rss);
    expect(rowan.language).toBe("ar");
    expect(rowan.items[0]?.title).toBe(SEED_TITLE);
    expect(paragraphsOf(rowan.items[0]?.content ?? "")).toEqual(SEED_PARAGRAPHS);
    expect(rowan.items[0]?.published?.toISOString()).toBe("2020-01-07T07:00:00.000Z");
    const extracted = extractFromXml(rss, { descriptionMaxLen: 0 });
    expect(extracted.language).toBe("ar");
    expect(extracted.entries?.[0]?.title).toBe(SEED_TITLE);
  });

  it("wraps content in dir=rtl lang=ar and puts description before content:encoded", () => {
    expect(rss).toContain('<content:encoded><![CDATA[<div dir="rtl" lang="ar">');
    expect(rss.indexOf("<description>", rss.indexOf("<item>"))).toBeLessThan(
      rss.indexOf("<content:encoded>"),
    );
    expect(rss).toContain(
      '<atom:link href="https://news.example/feed.xml" rel="self" type="application/rss+xml"/>',
    );
  });
});

describe("Atom 1.0", () => {
  it("reads back with xml:lang ar, author and exact text", () => {
    const feed = parseAtomFeed(atom);
    expect(feed.xml?.lang).toBe("ar");
    expect(feed.entries?.[0]?.title?.value).toBe(SEED_TITLE);
    expect(paragraphsOf(feed.entries?.[0]?.content?.value ?? "")).toEqual(SEED_PARAGRAPHS);
    expect(feed.entries?.[0]?.authors?.[0]?.name).toBe("سعيد عريقات");
    expect(feed.entries?.[0]?.published).toBe("2020-01-07T09:00:00+02:00");
    expect(atom).toMatch(/<feed [^>]*xml:lang="ar"/);
    const rowan = rowanParse(atom);
    expect(rowan.language).toBe("ar");
    expect(rowan.items[0]?.title).toBe(SEED_TITLE);
    expect(paragraphsOf(rowan.items[0]?.content ?? "")).toEqual(SEED_PARAGRAPHS);
  });
});

describe("JSON Feed 1.1", () => {
  it("validates against the JSON Feed 1.1 schema", () => {
    const ok = validateJsonFeed(JSON.parse(json));
    expect(validateJsonFeed.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("reads back with version 1.1, language, authors and exact text", () => {
    const feed = parseJsonFeed(JSON.parse(json));
    expect(JSON.parse(json).version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.language).toBe("ar");
    expect(feed.items?.[0]?.title).toBe(SEED_TITLE);
    expect(paragraphsOf(feed.items?.[0]?.content_html ?? "")).toEqual(SEED_PARAGRAPHS);
    expect(feed.items?.[0]?.authors?.[0]?.name).toBe("سعيد عريقات");
    const extracted = extractFromJson(JSON.parse(json), { descriptionMaxLen: 0 });
    expect(extracted.entries?.[0]?.title).toBe(SEED_TITLE);
  });
});

describe("the same content gives the same bytes", () => {
  it("renders identically twice (no clock in the renderers)", () => {
    const entry = toFeedEntry(
      site,
      record,
      renderBodyHtml(site, record.article.body, record.article.format),
    );
    const again = buildScopeFeed({
      site,
      scope: { kind: "site" },
      entries: [entry],
      tombstones: [],
    });
    expect(renderRss(again)).toBe(rss);
    expect(renderAtom(again)).toBe(atom);
    expect(renderJsonFeed(again)).toBe(json);
  });
});
