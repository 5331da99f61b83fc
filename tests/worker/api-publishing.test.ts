/**
 * Publishing through the admin API: success statuses, the GET → PUT round trip, what
 * updates and deletes do to the three feeds, concurrent publishing through the single
 * writer, and paging of the article list.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  AUTH,
  articleUrl,
  atomEntries,
  clearAll,
  expectError,
  getArticle,
  jsonItems,
  type ListPage,
  listArticles,
  observeState,
  publishOk,
  putRaw,
  rssItems,
  stripMarks,
} from "./api-helpers.ts";
import {
  FEED_PATHS,
  feedEtags,
  publish,
  remove,
  request,
  sampleArticle,
  snapshotFeeds,
} from "./helpers.ts";

// Every test starts from an empty catalogue (deleted articles stay as tombstones).
beforeEach(clearAll);

interface ApiArticle extends Record<string, unknown> {
  slug: string;
  url: string;
  title: string;
  created: string;
  updated: string;
}

/** The article as each feed carries it: ids and titles, and how often it appears. */
async function inFeeds(slug: string) {
  const [rss, atom, json] = await snapshotFeeds();
  const url = articleUrl(slug);
  const items = rssItems(rss ?? "").filter((i) => i.guid === url);
  const entries = atomEntries(atom ?? "").filter((e) => e.id === url);
  const jsonMatches = jsonItems(json ?? "").filter((i) => i.id === url);
  return { rss: items, atom: entries, json: jsonMatches, raw: { rss, atom, json } };
}

/** The article ids of one scope's feed (e.g. `/categories/politics`) in each format. */
async function scopeIds(scope: string) {
  const [rss, atom, json] = await Promise.all(
    FEED_PATHS.map(async (file) => (await request(`${scope}${file}`)).text()),
  );
  return {
    rss: rssItems(rss ?? "").map((i) => i.guid),
    atom: atomEntries(atom ?? "").map((e) => e.id),
    json: jsonItems(json ?? "").map((i) => i.id),
  };
}

const inAllFormats = (ids: string[]) => ({ rss: ids, atom: ids, json: ids });

describe("success statuses", () => {
  it("201 on create, with Location and the stored article as JSON", async () => {
    const res = await publish("status-created", sampleArticle());
    expect(res.status).toBe(201);
    expect(res.headers.get("Location")).toBe("http://localhost:8787/api/articles/status-created");
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    const body = (await res.json()) as ApiArticle;
    expect(body.slug).toBe("status-created");
    expect(body.url).toBe(articleUrl("status-created"));
    expect(body.title).toBe(sampleArticle().title);
    expect(body).toMatchObject({ created: expect.any(String), updated: expect.any(String) });
    expect((await getArticle("status-created")).status).toBe(200);
  });

  it("200 on update, with the new version", async () => {
    await publishOk("status-updated");
    const res = await publish("status-updated", sampleArticle({ title: "عنوان معدل" }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as ApiArticle).title).toBe("عنوان معدل");
    expect(((await (await getArticle("status-updated")).json()) as ApiArticle).title).toBe(
      "عنوان معدل",
    );
  });

  it("200 on an unchanged re-PUT, with nothing changed", async () => {
    const first = (await publishOk("status-unchanged")) as ApiArticle;
    const before = await observeState(["status-unchanged"]);
    const res = await publish("status-unchanged", sampleArticle());
    expect(res.status).toBe(200);
    const again = (await res.json()) as ApiArticle;
    expect(again.updated).toBe(first.updated);
    expect(again.created).toBe(first.created);
    expect(await observeState(["status-unchanged"])).toEqual(before);
  });

  it("204 with an empty body on delete; then 404 for GET and a second DELETE", async () => {
    await publishOk("status-deleted");
    const res = await remove("status-deleted");
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await expectError(await getArticle("status-deleted"), 404)).code).toBe("not_found");
    expect((await expectError(await remove("status-deleted"), 404)).code).toBe("not_found");
  });

  it("404 for GET and DELETE of an article that never existed", async () => {
    expect((await expectError(await getArticle("never-existed"), 404)).code).toBe("not_found");
    expect((await expectError(await remove("never-existed"), 404)).code).toBe("not_found");
  });

  // The catalogue still holds the deleted slug (as a tombstone), but there is no article
  // to update: RFC 9110 §9.3.4 and the README ("201 created") want 201.
  it("201 when an article is created again after it was deleted", async () => {
    await publishOk("status-recreated");
    expect((await remove("status-recreated")).status).toBe(204);
    expect((await getArticle("status-recreated")).status).toBe(404);
    const res = await publish("status-recreated", sampleArticle({ title: "من جديد" }));
    expect(res.status).toBe(201);
  });

  it("an article created again after deletion is live in all three feeds and its page", async () => {
    await publishOk("status-revived");
    expect((await remove("status-revived")).status).toBe(204);
    const res = await publish("status-revived", sampleArticle({ title: "من جديد" }));
    expect([200, 201]).toContain(res.status);
    const found = await inFeeds("status-revived");
    expect(found.rss.map((i) => stripMarks(i.title))).toEqual(["من جديد"]);
    expect(found.atom.map((e) => stripMarks(e.title))).toEqual(["من جديد"]);
    expect(found.json.map((i) => stripMarks(i.title))).toEqual(["من جديد"]);
    expect(found.raw.atom).not.toContain(`<at:deleted-entry ref="${articleUrl("status-revived")}"`);
    expect((await request("/articles/status-revived")).status).toBe(200);
  });
});

describe("GET → PUT round trip", () => {
  const full = sampleArticle({
    // Decomposed é and Windows line ends: stored NFC and LF.
    title: "Caf\u0065\u0301 — مقهى",
    body: "فقرة أولى.\r\n\r\nفقرة **ثانية** مع [رابط](https://example.com/).",
    format: "markdown",
    dateline: "القدس",
    source: "وكالة",
    categories: [
      { slug: "politics", label: "سياسة" },
      { slug: "world", label: "العالم" },
    ],
    authors: [
      {
        name: "سعيد عريقات",
        slug: "saeed-ereikat",
        email: "saeed@example.com",
        url: "https://example.com/saeed",
      },
      { name: "مراسل", slug: "correspondent" },
    ],
    image: {
      url: "/images/lead.jpg",
      type: "image/jpeg",
      length: 12345,
      width: 800,
      height: 600,
      alt: "صورة",
    },
  });

  it("what GET returns, PUT accepts unchanged: 200, same updated, same feed bytes and ETags", async () => {
    await publishOk("round-trip", full);
    const got = await getArticle("round-trip");
    expect(got.status).toBe(200);
    const text = await got.text();
    const article = JSON.parse(text) as ApiArticle;
    // The server's normalisation is visible, and the read-only fields are there.
    expect(article.title).toBe("Caf\u00e9 — مقهى");
    expect(article.body).not.toContain("\r");
    expect(article).toMatchObject({ slug: "round-trip", url: articleUrl("round-trip") });

    const feedsBefore = await snapshotFeeds();
    const etagsBefore = await feedEtags();
    const res = await putRaw("round-trip", text);
    expect(res.status).toBe(200);
    const again = (await res.json()) as ApiArticle;
    expect(again.updated).toBe(article.updated);
    expect(again.created).toBe(article.created);
    expect(await snapshotFeeds()).toEqual(feedsBefore);
    expect(await feedEtags()).toEqual(etagsBefore);
    expect(await (await getArticle("round-trip")).text()).toBe(text);
  });

  it("the same article in another key order or before normalisation is also unchanged", async () => {
    const created = (await publishOk("round-trip-order", full)) as ApiArticle;
    const feedsBefore = await snapshotFeeds();
    const reversed = Object.fromEntries(Object.entries(full).reverse());
    for (const variant of [reversed, full]) {
      const res = await publish("round-trip-order", variant);
      expect(res.status).toBe(200);
      expect(((await res.json()) as ApiArticle).updated).toBe(created.updated);
    }
    expect(await snapshotFeeds()).toEqual(feedsBefore);
  });
});

describe("updates", () => {
  it("keep id, guid and url; move updated, date_modified and Atom <updated>; never duplicate", async () => {
    const first = (await publishOk("edited-article")) as ApiArticle;
    const before = await inFeeds("edited-article");
    expect(before.rss).toHaveLength(1);
    expect(before.atom).toHaveLength(1);
    expect(before.json).toHaveLength(1);
    expect(before.atom[0]?.updated).toBe(first.updated);
    expect(before.json[0]?.date_modified).toBe(first.updated);

    const res = await publish(
      "edited-article",
      sampleArticle({ title: "عنوان بعد التعديل", body: "نص جديد." }),
    );
    expect(res.status).toBe(200);
    const second = (await res.json()) as ApiArticle;
    expect(second.url).toBe(first.url);
    expect(second.created).toBe(first.created);
    expect(second.updated).not.toBe(first.updated);
    expect(Date.parse(second.updated)).toBeGreaterThan(Date.parse(first.updated));

    const after = await inFeeds("edited-article");
    // Same identity, once per feed.
    expect(after.rss.map((i) => i.guid)).toEqual([articleUrl("edited-article")]);
    expect(after.atom.map((e) => e.id)).toEqual([articleUrl("edited-article")]);
    expect(after.json.map((i) => [i.id, i.url])).toEqual([
      [articleUrl("edited-article"), articleUrl("edited-article")],
    ]);
    // New content and new modification time, in every format.
    expect(stripMarks(after.rss[0]?.title ?? "")).toBe("عنوان بعد التعديل");
    expect(stripMarks(after.atom[0]?.title ?? "")).toBe("عنوان بعد التعديل");
    expect(stripMarks(after.json[0]?.title ?? "")).toBe("عنوان بعد التعديل");
    expect(after.atom[0]?.updated).toBe(second.updated);
    expect(after.atom[0]?.updated).not.toBe(before.atom[0]?.updated);
    expect(after.json[0]?.date_modified).toBe(second.updated);
    expect(after.json[0]?.date_published).toBe(before.json[0]?.date_published);
    // The feed-level Atom <updated> follows the newest change.
    expect(after.raw.atom).toMatch(
      new RegExp(`<feed[^>]*>\\s*<id>[^<]*</id>[\\s\\S]*?<updated>${second.updated}</updated>`),
    );
    // Still one article in the list.
    const list = (await (await listArticles()).json()) as ListPage;
    expect(list.articles.map((a) => a.slug)).toEqual(["edited-article"]);
  });

  it("moving an article to another category updates both category feeds", async () => {
    const url = articleUrl("moved-article");
    await publishOk("moved-article", { categories: [{ slug: "old-desk", label: "قديم" }] });
    expect(await scopeIds("/categories/old-desk")).toEqual(inAllFormats([url]));
    await publishOk("moved-article", { categories: [{ slug: "new-desk", label: "جديد" }] }, 200);
    expect(await scopeIds("/categories/old-desk")).toEqual(inAllFormats([]));
    expect(await scopeIds("/categories/new-desk")).toEqual(inAllFormats([url]));
  });
});

describe("deletes", () => {
  it("remove the article from all three feeds and its scope feeds; its page answers 410", async () => {
    await publishOk("kept-article", { published: "2020-01-06T09:00:00+02:00" });
    await publishOk("deleted-article");
    expect((await inFeeds("deleted-article")).rss).toHaveLength(1);

    expect((await remove("deleted-article")).status).toBe(204);

    const gone = await inFeeds("deleted-article");
    expect(gone.rss).toEqual([]);
    expect(gone.atom).toEqual([]);
    expect(gone.json).toEqual([]);
    // Atom announces the deletion (RFC 6721) instead of silently dropping the entry.
    expect(gone.raw.atom).toContain(`<at:deleted-entry ref="${articleUrl("deleted-article")}"`);
    // The other article is untouched.
    expect((await inFeeds("kept-article")).json).toHaveLength(1);
    for (const scope of ["/categories/politics", "/authors/saeed-ereikat"]) {
      expect(await scopeIds(scope), scope).toEqual(inAllFormats([articleUrl("kept-article")]));
    }
    expect((await request("/articles/deleted-article")).status).toBe(410);
    expect((await request("/articles/kept-article")).status).toBe(200);
    const list = (await (await listArticles()).json()) as ListPage;
    expect(list.total).toBe(1);
    expect(list.articles.map((a) => a.slug)).toEqual(["kept-article"]);
  });
});

describe("scope feeds", () => {
  it("category and author feeds in all three formats hold only their own articles", async () => {
    await publishOk("in-scope", { categories: [{ slug: "desk-a", label: "أ" }] });
    await publishOk("out-of-scope", {
      categories: [{ slug: "desk-b", label: "ب" }],
      authors: [{ name: "كاتب آخر", slug: "other-author" }],
    });
    for (const scope of ["/categories/desk-a", "/authors/saeed-ereikat"]) {
      expect(await scopeIds(scope), scope).toEqual(inAllFormats([articleUrl("in-scope")]));
      const json = JSON.parse(await (await request(`${scope}/feed.json`)).text());
      expect(json.feed_url, scope).toBe(`http://localhost:8787${scope}/feed.json`);
    }
    expect(await scopeIds("/categories/desk-b")).toEqual(
      inAllFormats([articleUrl("out-of-scope")]),
    );
    expect((await request("/nowhere/atom.xml")).status).toBe(404);
  });
});

describe("publish, then read at once", () => {
  it("a PUT followed immediately by feed reads shows the new article, the edit and the delete", async () => {
    expect((await publish("read-after-write", sampleArticle({ title: "أول نسخة" }))).status).toBe(
      201,
    );
    expect(await (await request("/feed.xml")).text()).toContain("أول نسخة");
    expect(await (await request("/atom.xml")).text()).toContain("أول نسخة");
    expect(await (await request("/feed.json")).text()).toContain("أول نسخة");

    expect((await publish("read-after-write", sampleArticle({ title: "ثاني نسخة" }))).status).toBe(
      200,
    );
    const rss = await (await request("/feed.xml")).text();
    expect(rss).toContain("ثاني نسخة");
    expect(rss).not.toContain("أول نسخة");

    expect((await remove("read-after-write")).status).toBe(204);
    expect(await (await request("/feed.xml")).text()).not.toContain("ثاني نسخة");
  });
});

describe("concurrent publishing", () => {
  // Generous timeouts: 50 publishes share a workerd with the other test files.
  it("50 articles PUT at once all appear, once each, in RSS, Atom and JSON Feed", {
    timeout: 60_000,
  }, async () => {
    const slugs = Array.from({ length: 50 }, (_, i) => `burst-${String(i).padStart(2, "0")}`);
    const published = (i: number) =>
      new Date(Date.UTC(2021, 2, 1, 0, i)).toISOString().replace(".000Z", "Z");
    const responses = await Promise.all(
      slugs.map((slug, i) =>
        publish(
          slug,
          sampleArticle({
            title: `مقال رقم ${i}`,
            published: published(i),
            categories: [{ slug: "burst", label: "دفعة" }],
          }),
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(slugs.map(() => 201));

    const urls = slugs.map(articleUrl);
    // Newest first: burst-49 … burst-00.
    const newestFirst = [...urls].reverse();
    const [rss, atom, json] = await snapshotFeeds();
    expect(rssItems(rss ?? "").map((i) => i.guid)).toEqual(newestFirst);
    expect(atomEntries(atom ?? "").map((e) => e.id)).toEqual(newestFirst);
    expect(jsonItems(json ?? "").map((i) => i.id)).toEqual(newestFirst);
    expect(await scopeIds("/categories/burst")).toEqual(inAllFormats(newestFirst));

    const list = (await (await listArticles("?limit=100")).json()) as ListPage;
    expect(list.total).toBe(50);
    expect(list.articles.map((a) => a.slug).sort()).toEqual(slugs);
  });

  it("concurrent PUTs of one article leave one item that matches the stored version", {
    timeout: 60_000,
  }, async () => {
    const titles = Array.from({ length: 10 }, (_, i) => `نسخة ${i}`);
    const responses = await Promise.all(
      titles.map((title) => publish("contested-article", sampleArticle({ title }))),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const stored = (await (await getArticle("contested-article")).json()) as ApiArticle;
    expect(titles).toContain(stored.title);
    const found = await inFeeds("contested-article");
    expect(found.rss.map((i) => stripMarks(i.title))).toEqual([stored.title]);
    expect(found.atom.map((e) => stripMarks(e.title))).toEqual([stored.title]);
    expect(found.json.map((i) => stripMarks(i.title))).toEqual([stored.title]);
  });
});

describe("GET /api/articles paging", () => {
  // Written in many zones: the order is by instant, not by the text of the date.
  // Published in this (scrambled) order.
  const ARTICLES: [string, string][] = [
    ["d", "2019-12-31T23:30:00-01:00"], // 2020-01-01T00:30Z
    ["h", "2020-03-01T11:00:00+03:00"], // 2020-03-01T08:00Z, the same instant as b
    ["a", "2020-03-01T10:00:00+03:00"], // 2020-03-01T07:00Z
    ["f", "2021-06-15T12:00:00Z"],
    ["e", "2020-01-01T02:00:00+03:00"], // 2019-12-31T23:00Z
    ["b", "2020-03-01T08:00:00Z"],
    ["c", "2020-03-01T05:00:00-04:00"], // 2020-03-01T09:00Z
  ];
  // Newest first; equal instants by slug.
  const ORDER = ["f", "c", "b", "h", "a", "d", "e"];

  /** Publishes the set under fresh slugs (`<prefix>-a` …); returns the expected order. */
  async function publishAll(prefix: string): Promise<string[]> {
    for (const [key, published] of ARTICLES) await publishOk(`${prefix}-${key}`, { published });
    return ORDER.map((key) => `${prefix}-${key}`);
  }

  it("lists newest first by published, following `next` links page by page", async () => {
    const EXPECTED = await publishAll("walk");
    const seen: string[] = [];
    const nexts: (string | null)[] = [];
    let path: string | null = "/api/articles?limit=3&offset=0";
    while (path) {
      const res = await request(path, { headers: AUTH });
      expect(res.status).toBe(200);
      const page = (await res.json()) as ListPage;
      expect(page.total).toBe(7);
      expect(page.articles.length).toBeLessThanOrEqual(3);
      for (const a of page.articles) expect(a.url).toBe(articleUrl(a.slug));
      seen.push(...page.articles.map((a) => a.slug));
      nexts.push(page.next);
      path = page.next;
    }
    expect(seen).toEqual(EXPECTED);
    expect(nexts).toEqual([
      "http://localhost:8787/api/articles?limit=3&offset=3",
      "http://localhost:8787/api/articles?limit=3&offset=6",
      null,
    ]);
    // The feeds agree with the list.
    const json = jsonItems(await (await request("/feed.json")).text());
    expect(json.map((i) => i.id)).toEqual(EXPECTED.map(articleUrl));
  });

  it("defaults to 20 from offset 0, and honours limit and offset", async () => {
    const EXPECTED = await publishAll("window");
    const all = (await (await listArticles()).json()) as ListPage;
    expect(all.articles.map((a) => a.slug)).toEqual(EXPECTED);
    expect(all.next).toBeNull();
    const byPublished = Object.fromEntries(ARTICLES.map(([k, p]) => [`window-${k}`, p]));
    for (const a of all.articles) expect(a.published).toBe(byPublished[a.slug]);

    const middle = (await (await listArticles("?limit=2&offset=2")).json()) as ListPage;
    expect(middle.articles.map((a) => a.slug)).toEqual(["window-b", "window-h"]);
    expect(middle.next).toBe("http://localhost:8787/api/articles?limit=2&offset=4");

    const last = (await (await listArticles("?limit=1&offset=6")).json()) as ListPage;
    expect(last.articles.map((a) => a.slug)).toEqual(["window-e"]);
    expect(last.next).toBeNull();

    const beyond = (await (await listArticles("?limit=5&offset=50")).json()) as ListPage;
    expect(beyond).toEqual({ total: 7, articles: [], next: null });

    expect((await listArticles("?limit=100")).status).toBe(200);
  });

  it.each([
    "?limit=0",
    "?limit=101",
    "?limit=-1",
    "?limit=abc",
    "?limit=1.5",
    "?limit=",
    "?offset=-1",
    "?offset=x",
    "?offset=0.5",
  ])("400 JSON for %s", async (query) => {
    const error = await expectError(await listArticles(query), 400);
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(/limit|offset/);
  });
});
