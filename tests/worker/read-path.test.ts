import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { FEED_MEDIA_TYPES, type FeedFormat } from "../../src/core/urls.ts";
import { wantsBrowserView } from "../../src/worker/routes/read.ts";
import { docKey } from "../../src/worker/store/keys.ts";
import { parseAll } from "../../tools/feed-parsers.ts";
import { fetcherWith, publish, request, sampleArticle, TOKEN, watchedKv } from "./helpers.ts";

describe("read path", () => {
  it("serves an empty but valid RSS feed before anything is published", async () => {
    const res = await request("/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    expect(await res.text()).toContain("<language>ar</language>");
  });

  it("serves a published article in all three formats with RTL metadata", async () => {
    expect((await publish("first-article", sampleArticle())).status).toBe(201);
    const rss = await request("/feed.xml");
    expect(rss.headers.get("Content-Language")).toBe("ar");
    expect(await rss.text()).toContain("عنوان تجريبي");
    const atom = await request("/atom.xml");
    expect(atom.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const json = await request("/feed.json");
    expect(json.headers.get("Content-Type")).toBe("application/feed+json; charset=utf-8");
    const feed = (await json.json()) as {
      version: string;
      language: string;
      items: { title: string }[];
    };
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.items[0]?.title).toBe("عنوان تجريبي");
  });
});

describe("browser view negotiation", () => {
  const browserAccept =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  const FEEDS: [string, string, FeedFormat][] = [
    ["/feed.xml", "/feed.html", "rss"],
    ["/atom.xml", "/feed.html", "atom"],
    ["/feed.json", "/feed.html", "json"],
    ["/categories/politics/feed.xml", "/categories/politics/feed.html", "rss"],
    ["/authors/saeed-ereikat/atom.xml", "/authors/saeed-ereikat/feed.html", "atom"],
    ["/archive/1/feed.json", "/archive/1/feed.html", "json"],
  ];

  beforeAll(async () => {
    expect((await publish("negotiated", sampleArticle({ title: "خبر للمتصفح" }))).status).toBe(201);
  });

  it.each(FEEDS)(
    "a browser at %s gets the HTML view %s, with its own ETag and 304s",
    async (path, viewPath, format) => {
      const reader = await request(path, { headers: { Accept: FEED_MEDIA_TYPES[format] } });
      const browser = await request(path, { headers: { Accept: browserAccept } });
      const view = await request(viewPath);
      expect(browser.status).toBe(200);
      expect(browser.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
      expect(browser.headers.get("Vary")).toBe("Accept");
      expect(reader.headers.get("Vary")).toBe("Accept");
      // The view is its own page too (no Vary there: one representation).
      expect(view.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
      expect(view.headers.get("Vary")).toBeNull();
      const html = await browser.text();
      expect(html).toBe(await view.text());
      expect(html).toContain('<html lang="ar" dir="rtl">');
      expect(html).toContain("<bdi>خبر للمتصفح</bdi>");
      expect(html).toContain(`value="http://localhost:8787${path.replace(/[^/]+$/, "")}`);
      expect(html).not.toContain("xml-stylesheet");
      const etag = browser.headers.get("ETag") as string;
      expect(etag).toBe(view.headers.get("ETag"));
      expect(etag).not.toBe(reader.headers.get("ETag"));
      const revalidated = await request(path, {
        headers: { Accept: browserAccept, "If-None-Match": etag },
      });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get("Vary")).toBe("Accept");
      // The feed's tag does not validate the view, nor the view's the feed.
      const crossed = await request(path, {
        headers: { Accept: browserAccept, "If-None-Match": reader.headers.get("ETag") as string },
      });
      expect(crossed.status).toBe(200);
      const readerCrossed = await request(path, {
        headers: { Accept: FEED_MEDIA_TYPES[format], "If-None-Match": etag },
      });
      expect(readerCrossed.status).toBe(200);
    },
  );

  it.each([
    ["names a feed type", "application/rss+xml, application/atom+xml, text/html;q=0.5, */*"],
    ["asks for anything", "*/*"],
    ["names JSON Feed", "application/feed+json, text/html;q=0.1"],
    ["refuses HTML", "text/html;q=0, */*"],
    ["sends no Accept", undefined],
  ])("a client that %s gets the feed's bytes", async (_, accept) => {
    for (const [path, , format] of FEEDS) {
      const response = await request(path, accept ? { headers: { Accept: accept } } : {});
      expect(response.headers.get("Content-Type"), path).toBe(
        `${FEED_MEDIA_TYPES[format]}; charset=utf-8`,
      );
      expect(response.headers.get("Vary")).toBe("Accept");
      const [feed] = parseAll(await response.text(), format);
      expect(feed?.items.map((i) => i.title)).toContain("خبر للمتصفح");
    }
  });

  it("wantsBrowserView: text/html named with a positive q and no feed type", () => {
    const wants = (accept?: string) =>
      wantsBrowserView(new Headers(accept === undefined ? {} : { Accept: accept }));
    expect(wants(browserAccept)).toBe(true);
    expect(wants("text/html")).toBe(true);
    expect(wants("TEXT/HTML; q=0.8")).toBe(true);
    expect(wants(undefined)).toBe(false);
    expect(wants("")).toBe(false);
    expect(wants("*/*")).toBe(false);
    expect(wants("text/html;q=0")).toBe(false);
    expect(wants("text/html, application/atom+xml;q=0.1")).toBe(false);
    expect(wants("text/html, application/atom+xml;q=0")).toBe(true);
    expect(wants("application/json, text/html")).toBe(false);
  });

  it("a view missing from KV (stored before views) falls back to the feed, without the Publisher", async () => {
    const viewKey = docKey("/categories/politics/feed.html");
    await env.ARTICLES.delete(viewKey);
    const response = await request("/categories/politics/feed.xml", {
      headers: { Accept: browserAccept },
    });
    expect(response.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    expect(response.headers.get("Vary")).toBe("Accept");
    const [feed] = parseAll(await response.text(), "rss");
    expect(feed?.items.map((i) => i.title)).toContain("خبر للمتصفح");
    // Nothing asked the writer to render it: a made-up scope's view costs no render either.
    expect(await env.ARTICLES.get(viewKey)).toBeNull();
    expect((await request("/categories/nobody/feed.html")).status).toBe(404);
    expect(
      (await request("/categories/nobody/feed.xml", { headers: { Accept: browserAccept } })).status,
    ).toBe(404);
  });

  it("the site's view exists before it is stored: the Publisher renders it", async () => {
    await env.ARTICLES.delete(docKey("/feed.html"));
    const response = await request("/feed.json", { headers: { Accept: browserAccept } });
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(await response.text()).toContain("<bdi>خبر للمتصفح</bdi>");
    expect(await env.ARTICLES.get(docKey("/feed.html"))).not.toBeNull();
  });
});

describe("deletion", () => {
  it("announces a deleted article as an Atom tombstone and answers 410 for its page", async () => {
    await publish("short-lived", sampleArticle({ title: "خبر سيحذف" }));
    const res = await request("/api/articles/short-lived", {
      method: "DELETE",
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(204);
    const atom = await (await request("/atom.xml")).text();
    expect(atom).toMatch(
      /<at:deleted-entry ref="http:\/\/localhost:8787\/articles\/short-lived" when="[^"]+Z"\/>/,
    );
    expect(atom).not.toContain("خبر سيحذف");
    const page = await request("/articles/short-lived");
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('<html lang="ar" dir="rtl">');
  });

  it("answers 404 with a small page in the site's language for unknown paths and articles", async () => {
    for (const path of ["/nothing-here", "/articles/never-published", "/archive/999/feed.xml"]) {
      const res = await request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Language")).toBe("ar");
      expect(await res.text()).toContain("الصفحة غير موجودة");
    }
  });
});

describe("no XSLT", () => {
  it("/feed.xsl is gone, and no feed names a stylesheet", async () => {
    expect((await request("/feed.xsl")).status).toBe(404);
    for (const path of ["/feed.xml", "/atom.xml"]) {
      const text = await (await request(path)).text();
      expect(text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<(rss|feed) /);
      expect(text).not.toContain("xml-stylesheet");
    }
  });
});

describe("a KV read that fails", () => {
  it("is tried once more: a transient failure answers 200, not a burst of 500s", async () => {
    await publish("flaky-read", sampleArticle());
    let failures = 1;
    const kv = watchedKv((method) => {
      if (method !== "getWithMetadata" || failures === 0) return undefined;
      failures -= 1;
      return Promise.reject(new Error("KV is briefly unavailable"));
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const response = await fetcherWith({ ...env, ARTICLES: kv })("/articles/flaky-read");
    expect(response.status).toBe(200);
    expect(failures).toBe(0);
    expect(String(warn.mock.calls[0]?.[0])).toContain("doc:/articles/flaky-read");
    warn.mockRestore();
  });
});
