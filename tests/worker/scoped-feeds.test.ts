/** Category and author feeds: only their own articles, their own self links, discoverable. */
import { parseAtomFeed, parseRssFeed } from "feedsmith";
import { beforeAll, describe, expect, it } from "vitest";
import { PARSERS, parseWith } from "../../tools/feed-parsers.ts";
import { BASE, publish, request, sampleArticle } from "./helpers.ts";

beforeAll(async () => {
  const a = { name: "كاتب أول", slug: "writer-one" };
  const b = { name: "كاتب ثان", slug: "writer-two" };
  const sport = { slug: "sport", label: "رياضة" };
  const economy = { slug: "economy", label: "اقتصاد" };
  expect(
    (await publish("s1", sampleArticle({ title: "رياضة ١", authors: [a], categories: [sport] })))
      .status,
  ).toBe(201);
  expect(
    (await publish("s2", sampleArticle({ title: "اقتصاد ١", authors: [b], categories: [economy] })))
      .status,
  ).toBe(201);
  expect(
    (
      await publish(
        "s3",
        sampleArticle({ title: "مشترك", authors: [a, b], categories: [sport, economy] }),
      )
    ).status,
  ).toBe(201);
});

const ids = (atom: string) => (parseAtomFeed(atom).entries ?? []).map((e) => e.id);
const article = (slug: string) => `${BASE}/articles/${slug}`;

describe("scoped feeds", () => {
  it.each([
    ["/categories/sport/atom.xml", ["s1", "s3"]],
    ["/categories/economy/atom.xml", ["s2", "s3"]],
    ["/authors/writer-one/atom.xml", ["s1", "s3"]],
    ["/authors/writer-two/atom.xml", ["s2", "s3"]],
  ])("%s holds only its own articles and links itself", async (path, slugs) => {
    const res = await request(path);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(ids(text).sort()).toEqual(slugs.map(article).sort());
    expect(text).toContain(`<link rel="self" type="application/atom+xml" href="${BASE}${path}"/>`);
  });

  it("titles scoped feeds with the site and the category label, in RSS and JSON too", async () => {
    expect(parseRssFeed(await (await request("/categories/sport/feed.xml")).text()).title).toBe(
      "أخبار القدس — رياضة",
    );
    const json = (await (await request("/authors/writer-two/feed.json")).json()) as {
      title: string;
      feed_url: string;
      items: unknown[];
    };
    expect(json.title).toBe("أخبار القدس — كاتب ثان");
    expect(json.feed_url).toBe(`${BASE}/authors/writer-two/feed.json`);
    expect(json.items).toHaveLength(2);
  });

  it.each([
    ["rss", "/categories/sport/feed.xml"],
    ["atom", "/authors/writer-two/atom.xml"],
    ["json", "/categories/economy/feed.json"],
  ] as const)("%s %s reads the same through every parser that runs here", async (format, path) => {
    const text = await (await request(path)).text();
    for (const parser of PARSERS[format]) {
      const feed = parseWith(parser, text, format);
      expect(feed.items.map((i) => i.title).sort(), parser).toHaveLength(2);
      if (parser !== "@extractus/feed-extractor") expect(feed.language, parser).toBe("ar");
    }
  });

  it("is discoverable from the article page", async () => {
    const page = await (await request("/articles/s3")).text();
    for (const path of [
      "/categories/sport/feed.xml",
      "/categories/economy/atom.xml",
      "/authors/writer-one/feed.json",
    ]) {
      expect(page).toContain(`href="${BASE}${path}"`);
    }
    expect(page).toMatch(
      /<link rel="alternate" type="application\/rss\+xml" title="[^"]+" href="http:\/\/localhost:8787\/categories\/sport\/feed.xml">/,
    );
  });

  it("answers 404 for a category or author nobody used", async () => {
    expect((await request("/categories/nothing/feed.xml")).status).toBe(404);
    expect((await request("/authors/nobody/atom.xml")).status).toBe(404);
  });
});
