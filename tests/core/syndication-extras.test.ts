/** Lead images, tombstones, icon and logo, as each format carries them. */
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
  SITE_ICON: "https://news.example/icon.png",
  SITE_LOGO: "https://news.example/logo.png",
});

const article: Article = {
  title: "خبر مع صورة",
  summary: "ملخص",
  body: "نص.",
  format: "markdown",
  language: "ar",
  authors: [{ name: "كاتب", slug: "writer" }],
  published: "2020-01-07T09:00:00+02:00",
  categories: [],
  image: {
    url: "/images/lead.jpg",
    type: "image/jpeg",
    length: 48213,
    width: 1200,
    height: 800,
    alt: "صورة",
  },
};
const record = {
  schemaVersion: 1 as const,
  slug: "pic",
  article,
  created: article.published,
  updated: article.published,
  seq: 1,
};
const doc = buildScopeFeed({
  site,
  scope: { kind: "site" },
  entries: [toFeedEntry(site, record, renderBodyHtml(site, article.body, article.format))],
  tombstones: [{ id: "https://news.example/articles/gone", when: "2020-01-08T10:00:00Z" }],
});

describe("lead image", () => {
  it("RSS: enclosure with type and length, and media:content with size", () => {
    const rss = renderRss(doc);
    const item = parseRssFeed(rss).items?.[0];
    expect(item?.enclosures?.[0]).toEqual({
      url: "https://news.example/images/lead.jpg",
      length: 48213,
      type: "image/jpeg",
    });
    expect(item?.media?.contents?.[0]).toMatchObject({
      url: "https://news.example/images/lead.jpg",
      width: 1200,
      height: 800,
    });
    expect(rss).toContain('xmlns:media="http://search.yahoo.com/mrss/"');
  });

  it("Atom: link rel=enclosure; JSON Feed: image", () => {
    const entry = parseAtomFeed(renderAtom(doc)).entries?.[0];
    expect(entry?.links).toContainEqual(
      expect.objectContaining({
        rel: "enclosure",
        href: "https://news.example/images/lead.jpg",
        type: "image/jpeg",
        length: 48213,
      }),
    );
    expect(parseJsonFeed(JSON.parse(renderJsonFeed(doc))).items?.[0]?.image).toBe(
      "https://news.example/images/lead.jpg",
    );
  });
});

describe("tombstones (RFC 6721)", () => {
  it("announces deleted articles in Atom, before the entries", () => {
    const atom = renderAtom(doc);
    expect(atom).toContain('xmlns:at="http://purl.org/atompub/tombstones/1.0"');
    expect(atom).toContain(
      '<at:deleted-entry ref="https://news.example/articles/gone" when="2020-01-08T10:00:00Z"/>',
    );
    expect(atom.indexOf("<at:deleted-entry")).toBeLessThan(atom.indexOf("<entry"));
    expect(parseAtomFeed(atom).entries).toHaveLength(1);
  });

  it("dates the feed by its newest change, the deletion included", () => {
    expect(parseAtomFeed(renderAtom(doc)).updated).toBe("2020-01-08T10:00:00Z");
  });
});

describe("icon and logo", () => {
  it("RSS image, Atom icon and logo, JSON icon and favicon", () => {
    expect(parseRssFeed(renderRss(doc)).image?.url).toBe("https://news.example/logo.png");
    const atom = parseAtomFeed(renderAtom(doc));
    expect(atom.icon).toBe("https://news.example/icon.png");
    expect(atom.logo).toBe("https://news.example/logo.png");
    const json = parseJsonFeed(JSON.parse(renderJsonFeed(doc)));
    expect(json.icon).toBe("https://news.example/logo.png");
    expect(json.favicon).toBe("https://news.example/icon.png");
  });
});
