/**
 * Sitemaps and robots.txt as served by the Worker: pre-rendered at publish time, one KV
 * read to serve, following every publish and takedown. (Their schema validity is tested
 * in tests/core/sitemaps.test.ts, with xmllint.)
 */
import { env } from "cloudflare:workers";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { docKey } from "../../src/worker/store/keys.ts";
import { BASE, publish, remove, request, sampleArticle } from "./helpers.ts";

const xml = new XMLParser({ isArray: (name) => name === "url" || name === "sitemap" });
const locs = async (path: string) => {
  const res = await request(path);
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
  const doc = xml.parse(await res.text());
  return ((doc.urlset?.url ?? doc.sitemapindex?.sitemap ?? []) as { loc: string }[]).map(
    (u) => u.loc,
  );
};
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe("sitemaps", () => {
  it("exist before anything is published: robots.txt names both sitemaps", async () => {
    const robots = await request("/robots.txt");
    expect(robots.status).toBe(200);
    expect(robots.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    const text = await robots.text();
    expect(text).toContain(`Sitemap: ${BASE}/sitemap.xml`);
    expect(text).toContain(`Sitemap: ${BASE}/news-sitemap.xml`);
    expect(await locs("/sitemap.xml")).toEqual([]);
    expect(await locs("/news-sitemap.xml")).toEqual([]);
  });

  it("follow publishes and takedowns: the news sitemap only shows the last two days", async () => {
    expect((await publish("old-story", sampleArticle())).status).toBe(201);
    expect(
      (await publish("fresh-story", sampleArticle({ published: hoursAgo(3), title: "خبر عاجل" })))
        .status,
    ).toBe(201);
    expect(await locs("/sitemap.xml")).toEqual([`${BASE}/sitemaps/1.xml`]);
    expect((await locs("/sitemaps/1.xml")).sort()).toEqual([
      `${BASE}/articles/fresh-story`,
      `${BASE}/articles/old-story`,
    ]);
    const news = xml.parse(await (await request("/news-sitemap.xml")).text());
    expect(news.urlset.url.map((u: { loc: string }) => u.loc)).toEqual([
      `${BASE}/articles/fresh-story`,
    ]);
    expect(news.urlset.url[0]["news:news"]["news:title"]).toBe("خبر عاجل");
    // Pre-rendered: the documents are in KV, not made per request.
    for (const path of ["/sitemap.xml", "/sitemaps/1.xml", "/news-sitemap.xml", "/robots.txt"])
      expect(await env.ARTICLES.get(docKey(path))).not.toBeNull();

    expect((await remove("fresh-story")).status).toBe(204);
    expect(await locs("/sitemaps/1.xml")).toEqual([`${BASE}/articles/old-story`]);
    expect(await locs("/news-sitemap.xml")).toEqual([]);
    expect((await request("/articles/fresh-story")).status).toBe(410);

    expect((await remove("old-story")).status).toBe(204);
    // Its only child sitemap now holds nothing: the index no longer names it.
    expect(await locs("/sitemap.xml")).toEqual([]);
  });

  it("answers 404 for a child sitemap beyond the archive, without a render", async () => {
    expect((await request("/sitemaps/999.xml")).status).toBe(404);
    expect((await request("/sitemaps/01.xml")).status).toBe(404);
  });
});
