import { describe, expect, it } from "vitest";
import { publish, request, sampleArticle, TOKEN } from "./helpers.ts";

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
  const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  it("labels RSS and Atom as application/xml for a navigating browser, with its own ETag", async () => {
    await publish("negotiated", sampleArticle());
    for (const path of ["/feed.xml", "/atom.xml"]) {
      const reader = await request(path, {
        headers: { Accept: "application/rss+xml, application/atom+xml, */*" },
      });
      const browser = await request(path, { headers: { Accept: browserAccept } });
      expect(reader.headers.get("Content-Type")).toMatch(
        /^application\/(rss|atom)\+xml; charset=utf-8$/,
      );
      expect(browser.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
      expect(browser.headers.get("Vary")).toBe("Accept");
      expect(await browser.text()).toBe(await reader.text());
      expect(browser.headers.get("ETag")).not.toBe(reader.headers.get("ETag"));
      const revalidated = await request(path, {
        headers: { Accept: browserAccept, "If-None-Match": browser.headers.get("ETag") as string },
      });
      expect(revalidated.status).toBe(304);
    }
    const json = await request("/feed.json", { headers: { Accept: browserAccept } });
    expect(json.headers.get("Content-Type")).toBe("application/feed+json; charset=utf-8");
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

describe("the feed stylesheet", () => {
  it("is served from the Worker itself as XSL, with a strong ETag and 304s", async () => {
    const response = await request("/feed.xsl");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/xsl; charset=utf-8");
    const text = await response.text();
    expect(text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>/);
    expect(text).toContain("<xsl:stylesheet");
    const etag = response.headers.get("ETag") as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    const again = await request("/feed.xsl", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    // Every RSS and Atom document names it.
    expect(await (await request("/feed.xml")).text()).toContain(
      '<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>',
    );
  });
});
