/**
 * RFC 5005 paging and archives: publish 120 articles, walk the links from the
 * subscription feed, find every article exactly once, and see complete archive pages
 * stay byte-identical when more articles arrive.
 */
import { parseAtomFeed, parseRssFeed } from "feedsmith";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, publish, request, sampleArticle } from "./helpers.ts";

const TOTAL = 120;
const slugOf = (i: number) => `story-${String(i).padStart(3, "0")}`;
// Publication times deliberately out of arrival order: archives follow arrival.
const publishedOf = (i: number) =>
  new Date(Date.UTC(2020, 0, 1, 0, (i * 37) % 1000)).toISOString().replace(".000Z", "Z");

beforeAll(async () => {
  for (let i = 1; i <= TOTAL; i++) {
    const res = await publish(
      slugOf(i),
      sampleArticle({ title: `خبر رقم ${i}`, published: publishedOf(i) }),
    );
    expect(res.status).toBe(201);
  }
}, 120_000);

const linkOf = (atom: string, rel: string) =>
  new RegExp(`<link rel="${rel}" type="application/atom\\+xml" href="([^"]+)"/>`).exec(atom)?.[1];

async function walk(startPath: string, format: "atom" | "rss" | "json") {
  const seen: string[] = [];
  const pages: string[] = [];
  let next: string | undefined = new URL(startPath, BASE).href;
  let first = true;
  while (next) {
    pages.push(next);
    expect(pages.length).toBeLessThan(20);
    const text = await (await request(next)).text();
    if (format === "json") {
      const feed = JSON.parse(text) as { items: { id: string }[]; next_url?: string };
      if (!first) seen.push(...feed.items.map((i) => i.id));
      next = feed.next_url;
    } else if (format === "atom") {
      if (!first) seen.push(...(parseAtomFeed(text).entries ?? []).map((e) => e.id as string));
      next = linkOf(text, "next");
    } else {
      if (!first)
        seen.push(...(parseRssFeed(text).items ?? []).map((i) => i.guid?.value as string));
      next = /<atom:link href="([^"]+)" rel="next"/.exec(text)?.[1];
    }
    first = false;
  }
  return { seen, pages };
}

describe("paging and archives", () => {
  it.each(["atom", "rss", "json"] as const)(
    "%s: following next from the feed finds every article exactly once",
    async (format) => {
      const start = { atom: "/atom.xml", rss: "/feed.xml", json: "/feed.json" }[format];
      const { seen, pages } = await walk(start, format);
      expect(pages.slice(1).map((p) => new URL(p).pathname.split("/")[2])).toEqual(["3", "2", "1"]);
      expect(seen).toHaveLength(TOTAL);
      expect(new Set(seen).size).toBe(TOTAL);
      const expected = Array.from({ length: TOTAL }, (_, i) => `${BASE}/articles/${slugOf(i + 1)}`);
      expect([...seen].sort()).toEqual(expected.sort());
    },
  );

  it("marks complete pages as archives with fixed prev/next-archive links, and the open page not", async () => {
    const page1 = await (await request("/archive/1/atom.xml")).text();
    const page2 = await (await request("/archive/2/atom.xml")).text();
    const page3 = await (await request("/archive/3/atom.xml")).text();
    expect(page1).toContain("<fh:archive/>");
    expect(page2).toContain("<fh:archive/>");
    expect(page3).not.toContain("<fh:archive/>");
    expect(linkOf(page2, "prev-archive")).toBe(`${BASE}/archive/1/atom.xml`);
    expect(linkOf(page2, "next-archive")).toBe(`${BASE}/archive/3/atom.xml`);
    expect(linkOf(page2, "current")).toBe(`${BASE}/atom.xml`);
    expect(linkOf(page1, "prev-archive")).toBeUndefined();
    const feed = await (await request("/atom.xml")).text();
    expect(linkOf(feed, "prev-archive")).toBe(`${BASE}/archive/2/atom.xml`);
    expect(parseAtomFeed(page1).entries).toHaveLength(50);
    expect(parseAtomFeed(page3).entries).toHaveLength(20);
  });

  it("keeps complete archive pages byte-identical when more articles are published", async () => {
    const paths = [
      "/archive/1/feed.xml",
      "/archive/1/atom.xml",
      "/archive/2/feed.json",
      "/archive/2/atom.xml",
    ];
    const before = await Promise.all(paths.map(async (p) => (await request(p)).text()));
    for (let i = TOTAL + 1; i <= TOTAL + 35; i++) {
      expect(
        (
          await publish(
            slugOf(i),
            sampleArticle({ title: `خبر رقم ${i}`, published: publishedOf(i) }),
          )
        ).status,
      ).toBe(201);
    }
    const after = await Promise.all(paths.map(async (p) => (await request(p)).text()));
    expect(after).toEqual(before);
    // 155 articles: page 3 is now complete and page 4 is open.
    expect(await (await request("/archive/3/atom.xml")).text()).toContain("<fh:archive/>");
    expect((await request("/archive/4/atom.xml")).status).toBe(200);
    expect((await request("/archive/5/atom.xml")).status).toBe(404);
  }, 60_000);

  it("serves the subscription feed with at most FEED_SIZE newest items", async () => {
    const feed = parseAtomFeed(await (await request("/atom.xml")).text());
    expect(feed.entries).toHaveLength(50);
  });
});
