/**
 * An English article inside the Arabic site feed carries its own language and
 * direction in every format, and the feed itself stays Arabic.
 */
import { parseFeed as rowanParse } from "@rowanmanning/feed-parser";
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.ts";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderJsonFeed } from "../../src/core/feeds/render-json-feed.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { renderBodyHtml } from "../../src/core/html.ts";
import { parseSiteConfig } from "../../src/core/site.ts";

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار",
  SITE_DESCRIPTION: "آخر الأخبار",
  SITE_LANGUAGE: "ar",
});

function entryFor(slug: string, article: Article, seq: number) {
  const record = {
    schemaVersion: 1 as const,
    slug,
    article,
    created: article.published,
    updated: article.published,
    seq,
  };
  return toFeedEntry(site, record, renderBodyHtml(site, article.body, article.format));
}

const arabic: Article = {
  title: "عنوان عربي",
  summary: "ملخص",
  body: "نص عربي.",
  format: "markdown",
  language: "ar",
  authors: [{ name: "سعيد عريقات", slug: "saeed-ereikat" }],
  published: "2020-01-07T09:00:00+02:00",
  categories: [],
};
const english: Article = {
  ...arabic,
  title: "Pentagon denies withdrawal letter",
  summary: "Esper says no plans to leave Iraq.",
  body: "The letter was a draft.",
  language: "en",
  published: "2020-01-07T10:00:00+02:00",
};
const azeriArabic: Article = {
  ...arabic,
  title: "آذربایجان",
  language: "az-Arab",
  published: "2020-01-07T08:00:00+02:00",
};

const doc = buildScopeFeed({
  site,
  scope: { kind: "site" },
  entries: [
    entryFor("english", english, 2),
    entryFor("arabic", arabic, 1),
    entryFor("azeri", azeriArabic, 3),
  ],
  tombstones: [],
});

describe("an English article in the Arabic feed", () => {
  it("RSS: channel stays ar, the item says dc:language en and wraps content ltr", () => {
    const rss = renderRss(doc);
    const feed = parseRssFeed(rss);
    expect(feed.language).toBe("ar");
    expect(feed.items?.[0]?.dc?.languages).toEqual(expect.arrayContaining(["en"]));
    expect(feed.items?.[0]?.content?.encoded).toMatch(/^<div dir="ltr" lang="en">/);
    expect(feed.items?.[1]?.dc?.languages ?? []).toEqual([]);
    expect(feed.items?.[1]?.content?.encoded).toMatch(/^<div dir="rtl" lang="ar">/);
    expect(feed.items?.[2]?.content?.encoded).toMatch(/^<div dir="rtl" lang="az-Arab">/);
  });

  it("Atom: the entry carries xml:lang en; the others inherit ar", () => {
    const atom = renderAtom(doc);
    const parsed = parseAtomFeed(atom);
    expect(parsed.xml?.lang).toBe("ar");
    expect(atom).toMatch(
      /<entry xml:lang="en"><id>https:\/\/news\.example\/articles\/english<\/id>/,
    );
    expect(atom).toMatch(/<entry><id>https:\/\/news\.example\/articles\/arabic<\/id>/);
    expect(atom).toMatch(/<entry xml:lang="az-Arab">/);
    const rowan = rowanParse(atom);
    expect(rowan.items[0]?.title).toBe("Pentagon denies withdrawal letter");
  });

  it("JSON Feed: only the differing item has `language`", () => {
    const feed = parseJsonFeed(JSON.parse(renderJsonFeed(doc)));
    expect(feed.language).toBe("ar");
    expect(feed.items?.[0]?.language).toBe("en");
    expect(feed.items?.[1]?.language).toBeUndefined();
    expect(feed.items?.[2]?.language).toBe("az-Arab");
  });
});
