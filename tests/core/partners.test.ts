/**
 * Partner profiles: each shipped profile's feed, rendered through the document kinds
 * table from one catalogue, against that partner's published rules (the source of each
 * rule is cited beside it, and in src/core/partners/profiles.ts), read back through a
 * namespace-aware XML parser and the usual feed parsers; and the summary-only mode in
 * which no public document carries the full text.
 */
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.ts";
import { type CatalogEntry, catalogEntryOf } from "../../src/core/catalog.ts";
import type { RenderedDoc } from "../../src/core/documents.ts";
import { admit, partnerWarnings } from "../../src/core/partners/admission.ts";
import { parsePartnerSettings } from "../../src/core/partners/profiles.ts";
import { MemoryCatalog } from "../../src/core/publishing/catalog-view.ts";
import {
  type KindContext,
  type Prepared,
  planTarget,
  targetsDirtiedBy,
} from "../../src/core/publishing/kinds.ts";
import { prepareRecord } from "../../src/core/publishing/prepare.ts";
import type { Target } from "../../src/core/publishing/targets.ts";
import type { SiteConfig } from "../../src/core/site.ts";
import { recordOf, type StoredArticle } from "../../src/core/stored-article.ts";
import {
  childElements,
  parseAll,
  parseXmlStrict,
  textOf,
  type XmlElement,
} from "../../tools/feed-parsers.ts";
import { article, testSite } from "../support/catalog-fixtures.ts";

const NOW = Date.UTC(2026, 11, 1, 12);
const DAY = 86_400_000;
const MI = "http://schemas.ingestion.microsoft.com/common/";
const DCTERMS = "http://purl.org/dc/terms/";
const SNF = "http://www.smartnews.be/snf";
const WEBFEEDS = "http://webfeeds.org/rss/1.0";
const BODY_MARK = "نص-كامل-للمشتركين";

const site = testSite({
  SITE_DESCRIPTION: "آخر الأخبار والتقارير من غرفة الأخبار في القدس",
  SITE_LOGO: "https://news.example/logo.png",
  SITE_ICON: "https://news.example/icon.png",
  SITE_COVER: "https://news.example/cover.jpg",
  SITE_ACCENT_COLOR: "#0a7e3f",
  PARTNERS: "google-news msn flipboard smartnews apple-news feedly",
  PARTNER_LANGUAGE: "ar-PS",
  SMARTNEWS_LOGO: "https://news.example/smartnews-logo.png",
  TOMBSTONE_DAYS: "30",
});

const image = (width: number, height: number): Article["image"] => ({
  url: "https://news.example/images/lead.jpg",
  type: "image/jpeg",
  width,
  height,
  alt: "صورة",
});

/** 80 articles an hour apart, newest last, with the features the rules look at. */
function records(): StoredArticle[] {
  return Array.from({ length: 80 }, (_, i) => {
    const n = i + 1;
    const overrides: Partial<Article> & { shortTitle?: string } = {
      // 30 characters: in every profile's title range.
      title: `خبر رقم ${String(n).padStart(3, "0")} عن الأحداث الجارية`,
      body: `فقرة ${BODY_MARK} ${n}.`,
      published: new Date(NOW - (81 - n) * 3_600_000).toISOString(),
      image: n % 4 === 0 ? undefined : n % 4 === 1 ? image(1200, 900) : image(450, 300),
    };
    if (n === 80) overrides.title = "قصير"; // too short for MSN and Apple, no short title
    if (n === 79) {
      overrides.title = "عنوان طويل جداً ".repeat(6); // 96 characters: too long for Apple
      overrides.shortTitle = "عنوان قصير مناسب للشركاء";
    }
    if (n === 78) overrides.language = "en";
    if (n === 3) overrides.published = new Date(NOW - 400 * DAY).toISOString(); // > 365 days
    return recordOf(`story-${n}`, article(overrides as Partial<Article>), n);
  });
}

function world(s: SiteConfig = site) {
  const all = records();
  const entries: CatalogEntry[] = all.map((r) => catalogEntryOf(r));
  // story-70 (published 11 hours ago) was retracted an hour ago.
  const retracted = entries.map((e) =>
    e.slug === "story-70" ? { ...e, deleted: new Date(NOW - 3_600_000).toISOString() } : e,
  );
  const catalog = new MemoryCatalog(retracted);
  const prepared = new Map<string, Prepared>(all.map((r) => [r.slug, prepareRecord(s, r)]));
  return { all, catalog, prepared };
}

const ctx = (s: SiteConfig): KindContext => ({ site: s, feedMaxBytes: s.feedMaxBytes, nowMs: NOW });

function render(target: Target, s: SiteConfig = site): RenderedDoc[] {
  const { catalog, prepared } = world(s);
  const job = planTarget(target, catalog, ctx(s));
  if (!job) throw new Error(`no job for ${JSON.stringify(target)}`);
  return job.render(prepared);
}

function partnerFeed(id: string, s: SiteConfig = site) {
  const [doc] = render({ kind: "partner", id }, s);
  if (!doc) throw new Error("no document");
  const rss = parseXmlStrict(doc.body);
  const [channel] = childElements(rss, "channel");
  const items = childElements(channel as XmlElement, "item");
  const child = (el: XmlElement, local: string, uri = "") =>
    childElements(el, local, uri).map(textOf);
  return { doc, rss, channel: channel as XmlElement, items, child };
}

const slugOf = (link: string) => link.split("/").pop() as string;

describe("partner feeds: every shipped profile", () => {
  it.each(["google-news", "msn", "flipboard", "smartnews", "apple-news", "feedly"])(
    "/partners/%s/feed.xml is well-formed RSS 2.0 that every parser reads, with full text",
    (id) => {
      const { doc, items } = partnerFeed(id);
      expect(doc.path).toBe(`/partners/${id}/feed.xml`);
      expect(doc.contentType).toBe("application/rss+xml; charset=utf-8");
      for (const parsed of parseAll(doc.body, "rss")) {
        expect(parsed.items.length, parsed.parser).toBeGreaterThan(0);
        // Partner feeds carry the full text (the body), not only the summary.
        expect(parsed.items[0]?.content ?? "", parsed.parser).toContain(BODY_MARK);
      }
      expect(items.length).toBeGreaterThan(0);
    },
  );

  it("every change to a public article dirties each enabled partner feed", () => {
    const keys = targetsDirtiedBy(site, catalogEntryOf(records()[0] as StoredArticle)).map((t) =>
      t.kind === "partner" ? t.id : undefined,
    );
    expect(keys.filter(Boolean).sort()).toEqual(
      ["apple-news", "feedly", "flipboard", "google-news", "msn", "smartnews"].sort(),
    );
  });
});

describe("Google News", () => {
  // support.google.com/news/publisher-center/answer/9545414: up to 60 new articles per
  // fetch, 2 MB per feed; full text in content:encoded; a guid that never changes.
  it("holds at most 60 items within 2 MB, each with content:encoded and a permalink guid", () => {
    const { doc, items, child } = partnerFeed("google-news");
    expect(items.length).toBe(60);
    expect(new TextEncoder().encode(doc.body).byteLength).toBeLessThanOrEqual(2_000_000);
    for (const item of items) {
      expect(child(item, "encoded", "http://purl.org/rss/1.0/modules/content/")).toHaveLength(1);
      const [guid] = childElements(item, "guid");
      expect(guid?.attributes.isPermaLink).toBe("true");
      expect(textOf(guid as XmlElement)).toBe(child(item, "link")[0]);
    }
  });

  // Google uses images from 800 px on the shortest side: smaller ones are not sent.
  it("sends lead images only where they are 800 px or more on the shortest side", () => {
    const { items } = partnerFeed("google-news");
    for (const item of items) {
      const n = Number(slugOf(partnerLink(item)).replace("story-", ""));
      const hasImage = childElements(item, "enclosure").length > 0;
      expect(hasImage, `story-${n}`).toBe(n % 4 === 1); // 1200×900 only; 450×300 dropped
    }
  });
});

const partnerLink = (item: XmlElement) => textOf(childElements(item, "link")[0] as XmlElement);

describe("Microsoft Start / MSN", () => {
  const msn = () => partnerFeed("msn");
  const live = (items: XmlElement[]) =>
    items.filter((i) => childElements(i, "expirationDate", MI).length === 0);

  // helpcenter.msn.com/kb/articles/51: keep under 30 new items.
  it("holds fewer than 30 live items", () => {
    expect(live(msn().items).length).toBeLessThan(30);
  });

  // Only items with images auto-publish: the profile takes only those.
  it("takes only articles with a lead image", () => {
    for (const item of live(msn().items)) expect(childElements(item, "enclosure")).toHaveLength(1);
  });

  // Title 20–150 characters, or mi:shortTitle.
  it("leaves out a title outside 20–150 characters unless a short title is given", () => {
    const slugs = live(msn().items).map((i) => slugOf(partnerLink(i)));
    expect(slugs).not.toContain("story-80"); // "قصير", no short title (and no image)
    for (const item of live(msn().items)) {
      const title = [...(textOf(childElements(item, "title")[0] as XmlElement) ?? "")];
      const short = childElements(item, "shortTitle", MI);
      const stripped = title.filter((ch) => ch !== "\u200f" && ch !== "\u200e").length;
      expect(short.length > 0 || (stripped >= 20 && stripped <= 150)).toBe(true);
    }
  });

  // Dates RFC 822 in UTC; one language per feed; content of the last 365 days.
  it("writes dates in UTC, keeps one language and leaves out articles older than a year", () => {
    const { items, channel, child } = msn();
    expect(child(channel, "lastBuildDate")[0]).toMatch(/\+0000$/);
    for (const item of items) expect(child(item, "pubDate")[0]).toMatch(/\+0000$/);
    const slugs = live(items).map((i) => slugOf(partnerLink(i)));
    expect(slugs).not.toContain("story-78"); // English in an Arabic feed
    expect(slugs).not.toContain("story-3"); // 400 days old
    for (const item of live(items)) expect(child(item, "modified", DCTERMS)).toHaveLength(1);
  });

  // Takedown: same id, mi:expirationDate in the past, dcterms:modified newer than before.
  it("announces a retracted article with its id, a past expiration date and a newer modified date", () => {
    const { items, rss } = msn();
    expect(rss.attributes["xmlns:mi"]).toBe(MI);
    expect(rss.attributes["xmlns:dcterms"]).toBe(DCTERMS);
    const gone = items.filter((i) => childElements(i, "expirationDate", MI).length > 0);
    expect(gone.map((i) => slugOf(partnerLink(i)))).toEqual(["story-70"]);
    const item = gone[0] as XmlElement;
    const guid = textOf(childElements(item, "guid")[0] as XmlElement);
    expect(guid).toBe("https://news.example/articles/story-70");
    const expires = Date.parse(textOf(childElements(item, "expirationDate", MI)[0] as XmlElement));
    const modified = Date.parse(textOf(childElements(item, "modified", DCTERMS)[0] as XmlElement));
    expect(expires).toBeLessThanOrEqual(NOW);
    const previous = records().find((r) => r.slug === "story-70")?.updated as string;
    expect(modified).toBeGreaterThan(Date.parse(previous));
  });
});

describe("Flipboard", () => {
  // about.flipboard.com/rss-spec: at least one image of 400 px or more per item.
  it("takes only articles whose lead image is at least 400 px wide", () => {
    const { items } = partnerFeed("flipboard");
    expect(items.length).toBeGreaterThanOrEqual(30); // at least 30 items
    for (const item of items) {
      const [media] = childElements(item, "content", "http://search.yahoo.com/mrss/");
      expect(Number(media?.attributes.width)).toBeGreaterThanOrEqual(400);
    }
  });
});

describe("SmartNews", () => {
  // publishers.smartnews.com/hc/en-us/articles/360036526213: description ≤ 30
  // characters, ttl, snf:logo; 1 MB recommended.
  it("has a channel pubDate, a description of at most 30 characters, a ttl and snf:logo, within 1 MB", () => {
    const { doc, channel, child, rss } = partnerFeed("smartnews");
    expect([...(child(channel, "description")[0] ?? "")].length).toBeLessThanOrEqual(30);
    expect(child(channel, "ttl")[0]).toMatch(/^\d+$/);
    expect(child(channel, "pubDate")[0]).toMatch(/^\w{3}, \d{2} \w{3} \d{4} /); // required
    expect(rss.attributes["xmlns:snf"]).toBe(SNF);
    const [logo] = childElements(channel, "logo", SNF);
    expect(child(logo as XmlElement, "url")).toEqual(["https://news.example/smartnews-logo.png"]);
    expect(new TextEncoder().encode(doc.body).byteLength).toBeLessThanOrEqual(1_000_000);
  });
});

describe("SmartNews without SMARTNEWS_LOGO", () => {
  it("writes no snf:logo (nor its namespace), so the feed stays W3C-valid", () => {
    const plain = testSite({ PARTNERS: "smartnews" });
    const { rss, channel } = partnerFeed("smartnews", plain);
    expect(rss.attributes["xmlns:snf"]).toBeUndefined();
    expect(childElements(channel, "logo", SNF)).toEqual([]);
  });
});

describe("Apple News", () => {
  // support.apple.com/guide/news-publisher/apdc2c7520ff: language with a locale, titles
  // of 15–60 characters.
  it("names the language with its region and keeps titles within 15–60 characters", () => {
    const { channel, items, child } = partnerFeed("apple-news");
    expect(child(channel, "language")).toEqual(["ar-PS"]);
    for (const item of items) {
      const title = [...(child(item, "title")[0] ?? "")].filter((ch) => !/[\u200e\u200f]/.test(ch));
      expect(title.length).toBeGreaterThanOrEqual(15);
      expect(title.length).toBeLessThanOrEqual(60);
    }
    const slugs = items.map((i) => slugOf(partnerLink(i)));
    expect(slugs).not.toContain("story-80");
    // Too long, but with a short title in range: sent with the short title.
    const long = items.find((i) => partnerLink(i).endsWith("/story-79"));
    expect(child(long as XmlElement, "title")[0]).toContain("عنوان قصير مناسب للشركاء");
  });

  it("is refused at configuration time without a language region", () => {
    expect(() => parsePartnerSettings({ PARTNERS: "apple-news" })).toThrow(/PARTNER_LANGUAGE/);
    expect(() => parsePartnerSettings({ PARTNERS: "apple-news", PARTNER_LANGUAGE: "ar" })).toThrow(
      /region/,
    );
  });
});

describe("Feedly", () => {
  // The webfeeds namespace Feedly reads: icon, logo, cover, accent colour.
  it("carries webfeeds icon, logo, cover and accent colour", () => {
    const { channel, child, rss } = partnerFeed("feedly");
    expect(rss.attributes["xmlns:webfeeds"]).toBe(WEBFEEDS);
    expect(child(channel, "icon", WEBFEEDS)).toEqual(["https://news.example/icon.png"]);
    expect(child(channel, "logo", WEBFEEDS)).toEqual(["https://news.example/logo.png"]);
    expect(childElements(channel, "cover", WEBFEEDS)[0]?.attributes.image).toBe(
      "https://news.example/cover.jpg",
    );
    expect(child(channel, "accentColor", WEBFEEDS)).toEqual(["0A7E3F"]);
  });
});

describe("profiles from configuration", () => {
  it("names an unknown built-in profile and lists the known ones", () => {
    expect(() => parsePartnerSettings({ PARTNERS: "google-news yahoo" })).toThrow(
      /"yahoo".*google-news, msn/,
    );
  });

  it("takes a newsroom's own profile with the same fields, and names a wrong field", () => {
    const settings = parsePartnerSettings({
      PARTNERS: "google-news",
      PARTNER_PROFILES: JSON.stringify([
        { id: "wire", name: "Wire", maxItems: 100, maxBytes: 5_000_000, private: true },
      ]),
    });
    expect(settings.profiles.map((p) => [p.id, p.private])).toEqual([
      ["google-news", false],
      ["wire", true],
    ]);
    expect(() =>
      parsePartnerSettings({
        PARTNER_PROFILES: JSON.stringify([{ id: "Wire", name: "W", maxItems: 1, maxBytes: 1 }]),
      }),
    ).toThrow(/PARTNER_PROFILES\[0\]\.id/);
    expect(() => parsePartnerSettings({ PARTNER_PROFILES: "{not json" })).toThrow(/not JSON/);
  });

  it("makes a feed private only where PARTNERS enables it", () => {
    expect(
      parsePartnerSettings({ PARTNERS: "msn", PARTNERS_PRIVATE: "msn" }).profiles[0]?.private,
    ).toBe(true);
    expect(() => parsePartnerSettings({ PARTNERS_PRIVATE: "msn" })).toThrow(/does not enable/);
  });
});

describe("warnings for editors", () => {
  it("say which partner leaves an article out, and why", () => {
    const warnings = partnerWarnings(
      site,
      { title: "قصير", language: "ar", published: new Date(NOW).toISOString() },
      NOW,
    );
    const by = (id: string) => warnings.filter((w) => w.partner === id).map((w) => w.message);
    expect(by("msn").join(" ")).toMatch(/20–150/);
    expect(by("msn").join(" ")).toMatch(/lead image/);
    expect(by("apple-news").join(" ")).toMatch(/15–60/);
    expect(by("flipboard").join(" ")).toMatch(/lead image/);
    expect(by("google-news")).toEqual([]);
    expect(by("feedly")).toEqual([]);
  });

  it("and agree with what the feed does: the newest articles admit() lets in, in order", () => {
    const msn = site.partners.profiles.find((p) => p.id === "msn");
    if (!msn) throw new Error("msn");
    const expected = records()
      .filter((r) => r.slug !== "story-70") // retracted
      .filter((r) => admit(msn, r.article, "ar", NOW).admitted)
      .sort((a, b) => Date.parse(b.article.published) - Date.parse(a.article.published))
      .slice(0, msn.maxItems)
      .map((r) => r.slug);
    const live = partnerFeed("msn").items.filter(
      (i) => childElements(i, "expirationDate", MI).length === 0,
    );
    expect(live.map((i) => slugOf(partnerLink(i)))).toEqual(expected);
  });
});

describe("PUBLIC_CONTENT=summary", () => {
  const paywalled = testSite({
    PUBLIC_CONTENT: "summary",
    PARTNERS: "google-news",
  });
  const publicTargets: Target[] = [
    { kind: "scope", scope: { kind: "site" } },
    { kind: "scope", scope: { kind: "category", slug: "politics" } },
    { kind: "scope", scope: { kind: "author", slug: "writer" } },
    { kind: "archive", page: 1 },
    { kind: "article", slug: "story-5" },
    { kind: "search" },
    { kind: "sitemap", page: 1 },
  ];

  it("keeps the full text out of every public document, and in the partner feed", () => {
    for (const target of publicTargets) {
      for (const doc of render(target, paywalled)) {
        expect(doc.body, doc.path).not.toContain(BODY_MARK);
      }
    }
    const [site] = render({ kind: "scope", scope: { kind: "site" } }, paywalled);
    expect(site?.body).toContain("ملخص"); // the summary stands in for the body
    const [partner] = render({ kind: "partner", id: "google-news" }, paywalled);
    expect(partner?.body).toContain(BODY_MARK);
  });

  it("is the only other value: a wrong one is refused with the accepted ones", () => {
    expect(() => testSite({ PUBLIC_CONTENT: "teaser" })).toThrow(/"full" or "summary"/);
  });
});
