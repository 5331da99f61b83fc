/**
 * Faults in what is stored: corrupt, truncated, missing, old-version and foreign records
 * written straight into KV beside good articles published through the API, and corrupt
 * stored documents. Every feed and page must still answer 200 and parse, with the good
 * articles in, the bad ones left out (and logged with their key), and the old-version
 * record served migrated.
 *
 * The Publisher keeps the records it wrote in memory, so after corrupting KV the setup
 * evicts it (evictDurableObject) to make the next rebuild read KV again. The main Worker
 * and the Durable Object run in the same isolate as the tests, so console spies see the
 * Publisher's logs too.
 *
 * Every test starts from empty storage (`reset`) and builds the store it needs in a
 * beforeEach, so the tests can run alone and in any order.
 */
import { evictDurableObject, reset } from "cloudflare:test";
import { env } from "cloudflare:workers";
import {
  afterAll,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from "vitest";
import { HTML_TYPE } from "../../src/core/documents.ts";
import { FEED_FILES, FEED_MEDIA_TYPES, type FeedFormat, feedPath } from "../../src/core/urls.ts";
import { publisherOf } from "../../src/worker/site-config.ts";
import { articleKey, type DocMeta, docKey } from "../../src/worker/store/keys.ts";
import { type ParsedFeed, parseAll, parseXmlStrict } from "../../tools/feed-parsers.ts";
import { publish, remove, request, sampleArticle, TOKEN } from "./helpers.ts";
import { deleteRawRecord, readRawRecord, writeRawRecord } from "./stored-records.ts";

const GOOD = ["good-one", "good-two", "good-three"];
const BAD = {
  corrupt: "corrupt-record",
  truncated: "truncated-record",
  missing: "missing-record",
  futureVersion: "future-version-record",
  wrongSlug: "wrong-slug-record",
  notObject: "array-record",
} as const;
const LEGACY = "legacy-record";
const LEGACY_TITLE = "عنوان من النسخة القديمة";

const titleOf = (slug: string) => `عنوان ${slug}`;
const article = (slug: string, extra: Record<string, unknown> = {}) =>
  sampleArticle({ title: titleOf(slug), ...extra });

const SCOPES = [
  { kind: "site" },
  { kind: "category", slug: "politics" },
  { kind: "author", slug: "saeed-ereikat" },
] as const;
const FEEDS = SCOPES.flatMap((scope) =>
  (Object.keys(FEED_FILES) as FeedFormat[]).map((format) => ({
    path: feedPath(scope, format),
    format,
  })),
);

/** A fresh Publisher instance: nothing cached, records are read from KV again. */
async function evict(): Promise<void> {
  try {
    await evictDurableObject(publisherOf(env));
  } catch {
    // Not running: nothing cached either.
  }
}

/**
 * Empty storage, KV and the Publisher's (`reset` deletes every Durable Object's data,
 * and the simulated KV lives in one), then a Publisher that remembers nothing.
 */
async function emptyStore(): Promise<void> {
  await reset();
  await evict();
}

async function storedRecord(slug: string): Promise<Record<string, unknown>> {
  const raw = await readRawRecord(slug);
  if (raw === null) throw new Error(`no record for ${slug}`);
  return JSON.parse(raw) as Record<string, unknown>;
}

/** Fetches a feed: 200, its media type, and every parser reads it. */
async function fetchFeed(path: string, format: FeedFormat): Promise<ParsedFeed[]> {
  const res = await request(path);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
  expect(res.headers.get("Content-Type"), path).toBe(`${FEED_MEDIA_TYPES[format]}; charset=utf-8`);
  try {
    return parseAll(body, format);
  } catch (error) {
    throw new Error(`${path} does not parse: ${(error as Error).message}\n${body.slice(0, 300)}`);
  }
}

async function fetchPage(path: string): Promise<string> {
  const res = await request(path);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 200)}`).toBe(200);
  expect(res.headers.get("Content-Type"), path).toBe(HTML_TYPE);
  expect(body, path).toMatch(/^<!doctype html>\n<html lang="ar" dir="rtl">/);
  return body;
}

/** Titles of every item, mark-free, as each parser of each format read them. */
function titles(feeds: ParsedFeed[]): string[][] {
  return feeds.map((f) => f.items.map((i) => (i.title ?? "").replace(/^[\u200E\u200F]/, "")));
}

let errorSpy: MockInstance<typeof console.error>;
let warnSpy: MockInstance<typeof console.warn>;
const logged = (spy: MockInstance<(...args: unknown[]) => void>) =>
  spy.mock.calls.map((args) => args.map(String).join(" "));

beforeAll(() => {
  errorSpy = vi.spyOn(console, "error").mockImplementation(() => {});
  warnSpy = vi.spyOn(console, "warn").mockImplementation(() => {});
});
afterAll(() => {
  errorSpy.mockRestore();
  warnSpy.mockRestore();
});

/** The good articles, and the ones the setup breaks, published through the API. */
async function publishAll(): Promise<void> {
  for (const slug of [...GOOD, ...Object.values(BAD), LEGACY]) {
    const res = await publish(slug, article(slug));
    expect(res.status, slug).toBe(201);
  }
  const [rss] = await fetchFeed("/feed.xml", "rss");
  expect(rss?.items).toHaveLength(GOOD.length + Object.keys(BAD).length + 1);
}

/**
 * Corrupts, truncates, deletes and downgrades records straight in the Publisher's
 * storage; the legacy one is moved back to KV, where earlier versions kept records.
 */
async function breakRecords(): Promise<void> {
  const kv = env.ARTICLES;
  await writeRawRecord(BAD.corrupt, "{not json at all");
  const truncated = JSON.stringify(await storedRecord(BAD.truncated));
  await writeRawRecord(BAD.truncated, truncated.slice(0, Math.floor(truncated.length / 2)));
  await deleteRawRecord(BAD.missing);
  await writeRawRecord(
    BAD.futureVersion,
    JSON.stringify({ ...(await storedRecord(BAD.futureVersion)), schemaVersion: 99 }),
  );
  await writeRawRecord(
    BAD.wrongSlug,
    JSON.stringify({ ...(await storedRecord(BAD.wrongSlug)), slug: "someone-else" }),
  );
  await writeRawRecord(BAD.notObject, "[1, 2, 3]");
  // Version 0 (no schemaVersion): one author name as a string, categories as labels.
  const current = await storedRecord(LEGACY);
  const legacy = {
    slug: LEGACY,
    title: LEGACY_TITLE,
    summary: "ملخص من النسخة القديمة",
    body: "نص من **النسخة القديمة**.",
    language: "ar",
    author: "سعيد عريقات",
    published: "2020-01-07T09:00:00+02:00",
    categories: ["سياسة"],
    created: current.created,
    updated: current.updated,
    seq: current.seq,
  };
  await deleteRawRecord(LEGACY);
  await kv.put(articleKey(LEGACY), JSON.stringify(legacy));
  expect(await readRawRecord(BAD.missing)).toBeNull();
}

/** What the Publisher logged while it rebuilt after a fresh start over the broken records. */
interface RebuildLogs {
  errors: string[];
  warnings: string[];
}

/** A fresh Publisher, and one more publish (`good-four`) that rebuilds every feed. */
async function rebuildAfterFreshStart(): Promise<RebuildLogs> {
  await evict();
  errorSpy.mockClear();
  warnSpy.mockClear();
  const res = await publish("good-four", article("good-four"));
  expect(res.status).toBe(201);
  return { errors: logged(errorSpy), warnings: logged(warnSpy) };
}

/** Every live title the feeds must show once the broken records are left out. */
const EXPECTED_TITLES = [...GOOD, "good-four"].map(titleOf).concat(LEGACY_TITLE).sort();

describe("faults in stored records and documents", () => {
  let rebuild: RebuildLogs;

  beforeEach(async () => {
    await emptyStore();
    await publishAll();
    await breakRecords();
    rebuild = await rebuildAfterFreshStart();
  });

  it("a rebuild after a fresh start leaves the bad records out, serves the old one migrated, and logs each fault with its key", () => {
    for (const slug of Object.values(BAD)) {
      expect(
        rebuild.errors.some((line) => line.includes(articleKey(slug))),
        `${articleKey(slug)} in ${JSON.stringify(rebuild.errors)}`,
      ).toBe(true);
    }
    expect(
      rebuild.warnings.some((line) => line.includes(articleKey(LEGACY)) && /migrat/i.test(line)),
      JSON.stringify(rebuild.warnings),
    ).toBe(true);
    // The good ones are not reported.
    for (const slug of [...GOOD, "good-four"])
      expect(
        rebuild.errors.some((line) => line.includes(articleKey(slug))),
        slug,
      ).toBe(false);
  });

  it("every feed answers 200 and parses, with the good articles and the migrated one, without the bad ones", async () => {
    for (const { path, format } of FEEDS) {
      const feeds = await fetchFeed(path, format);
      for (const [i, list] of titles(feeds).entries()) {
        expect([...list].sort(), `${path} ${feeds[i]?.parser}`).toEqual(EXPECTED_TITLES);
      }
      for (const slug of Object.values(BAD)) {
        for (const list of titles(feeds)) expect(list, path).not.toContain(titleOf(slug));
      }
    }
  });

  it("the migrated record reads as version 1: one author with a slug, categories with slugs", async () => {
    const feeds = await fetchFeed("/atom.xml", "atom");
    const legacy = feeds[0]?.items.find((i) => i.title?.endsWith(LEGACY_TITLE));
    expect(legacy?.authors).toEqual(["سعيد عريقات"]);
    expect(legacy?.categories).toEqual(["سياسة"]);
    expect(legacy?.content).toContain("<strong>النسخة القديمة</strong>");
    const res = await request(`/api/articles/${LEGACY}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const api = (await res.json()) as Record<string, unknown>;
    expect(api.title).toBe(LEGACY_TITLE);
    expect(api.format).toBe("markdown");
    expect(api.authors).toEqual([{ name: "سعيد عريقات", slug: "author" }]);
  });

  it("a record an earlier version kept in KV is moved into the Publisher's storage; its KV copy goes with the article", async () => {
    const moved = await readRawRecord(LEGACY);
    expect(moved && JSON.parse(moved).title).toBe(LEGACY_TITLE);
    expect(
      rebuild.warnings.some((line) => line.includes(articleKey(LEGACY)) && /moved/.test(line)),
    ).toBe(true);
    // New records never go to KV.
    expect(await env.ARTICLES.get(articleKey("good-four"))).toBeNull();
    expect(await readRawRecord("good-four")).not.toBeNull();
    // A takedown deletes the old copy too: no text of a deleted article stays in KV.
    expect(await env.ARTICLES.get(articleKey(LEGACY))).not.toBeNull();
    expect((await remove(LEGACY)).status).toBe(204);
    expect(await env.ARTICLES.get(articleKey(LEGACY))).toBeNull();
    expect(await readRawRecord(LEGACY)).toBeNull();
  });

  it("the catalogue still lists an article whose record was deleted; feeds and its API entry leave it out", async () => {
    const res = await request("/api/articles?limit=100", {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    const listing = (await res.json()) as { articles: { slug: string }[] };
    expect(listing.articles.map((a) => a.slug)).toContain(BAD.missing);
    const one = await request(`/api/articles/${BAD.missing}`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(one.status).toBe(404);
    // Its page was rendered before the record vanished: it answers, never with an error.
    const page = await request(`/articles/${BAD.missing}`);
    expect([200, 404]).toContain(page.status);
  });

  interface DocFault {
    path: string;
    damage: () => Promise<unknown>;
    /** Whether reading the damaged document logs a warning naming its key. */
    logged: boolean;
  }

  /** One fault per scope at a time: re-rendering one path re-renders its whole scope. */
  async function documentFaults(): Promise<DocFault[]> {
    const kv = env.ARTICLES;
    const meta = (await kv.getWithMetadata<DocMeta>(docKey("/atom.xml"), "text")).metadata;
    return [
      {
        path: "/feed.xml",
        damage: () => kv.put(docKey("/feed.xml"), "garbage <<< not a feed"),
        logged: true,
      },
      {
        path: "/atom.xml",
        damage: () =>
          kv.put(docKey("/atom.xml"), "<feed>stale</feed", {
            metadata: { ...(meta as DocMeta), build: "stale000" },
          }),
        logged: true,
      },
      { path: "/feed.json", damage: () => kv.delete(docKey("/feed.json")), logged: false },
      { path: "/", damage: () => kv.put(docKey("/"), "garbage"), logged: true },
      {
        path: "/categories/politics/feed.xml",
        damage: () => kv.put(docKey("/categories/politics/feed.xml"), ""),
        logged: true,
      },
      {
        path: "/authors/saeed-ereikat/atom.xml",
        damage: () =>
          kv.put(docKey("/authors/saeed-ereikat/atom.xml"), "{}", { metadata: { etag: 1 } }),
        logged: true,
      },
      {
        path: `/articles/${GOOD[0]}`,
        damage: () => kv.put(docKey(`/articles/${GOOD[0]}`), "<html>garbage"),
        logged: true,
      },
      {
        path: `/articles/${LEGACY}`,
        damage: () => kv.put(docKey(`/articles/${LEGACY}`), "garbage"),
        logged: true,
      },
    ];
  }

  it("corrupt, stale and missing stored documents are re-rendered on read, and logged", async () => {
    const errors: string[] = [];
    for (const fault of await documentFaults()) {
      await fault.damage();
      await evict();
      errors.push(...logged(errorSpy));
      warnSpy.mockClear();
      errorSpy.mockClear();
      const feed = FEEDS.find((f) => f.path === fault.path);
      if (feed) {
        const feeds = await fetchFeed(feed.path, feed.format);
        for (const list of titles(feeds))
          expect([...list].sort(), feed.path).toEqual(EXPECTED_TITLES);
      } else if (fault.path === "/") {
        const home = await fetchPage("/");
        for (const title of EXPECTED_TITLES) expect(home).toContain(title);
      } else if (fault.path.endsWith(LEGACY)) {
        // The old-version record, rendered afresh, is served migrated.
        expect(await fetchPage(fault.path)).toContain(LEGACY_TITLE);
      } else {
        expect(await fetchPage(fault.path)).toContain(titleOf(GOOD[0] as string));
      }
      if (fault.logged) {
        const warnings = logged(warnSpy);
        expect(
          warnings.some((line) => line.includes(docKey(fault.path))),
          `${docKey(fault.path)} in ${JSON.stringify(warnings)}`,
        ).toBe(true);
      }
    }
    // The re-renders read the records again and reported the bad ones again.
    errors.push(...logged(errorSpy));
    expect(errors.some((line) => line.includes(articleKey(BAD.corrupt)))).toBe(true);
    // Everything else is still fine.
    for (const { path, format } of FEEDS) {
      const feeds = await fetchFeed(path, format);
      for (const list of titles(feeds)) expect([...list].sort(), path).toEqual(EXPECTED_TITLES);
    }
    for (const slug of [...GOOD, "good-four"])
      expect(await fetchPage(`/articles/${slug}`)).toContain(titleOf(slug));
  });

  it("re-rendered documents are stored again: a second read is served from KV as it is", async () => {
    const paths = ["/feed.xml", "/atom.xml", "/feed.json", "/"];
    for (const fault of (await documentFaults()).filter((f) => paths.includes(f.path))) {
      await fault.damage();
      expect((await request(fault.path)).status, fault.path).toBe(200);
    }
    for (const path of paths) {
      const stored = await env.ARTICLES.getWithMetadata<DocMeta>(docKey(path), "text");
      expect(stored.value, path).not.toBeNull();
      expect(stored.metadata?.build, path).not.toBe("stale000");
      const res = await request(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(stored.value);
      expect(res.headers.get("ETag")).toBe(stored.metadata?.etag);
    }
    parseXmlStrict((await env.ARTICLES.get(docKey("/feed.xml"), "text")) ?? "");
  });

  it("after a fresh start, the next publish is served in every feed", async () => {
    await evict();
    expect((await publish("last-good", article("last-good"))).status).toBe(201);
    for (const { path, format } of FEEDS) {
      const feeds = await fetchFeed(path, format);
      for (const list of titles(feeds)) expect(list, path).toContain(titleOf("last-good"));
    }
  });
});

describe("faults that once broke every rebuild", () => {
  beforeEach(async () => {
    await emptyStore();
    for (const slug of GOOD) expect((await publish(slug, article(slug))).status, slug).toBe(201);
  });

  async function feedsStillWork(expectTitle?: string): Promise<void> {
    for (const { path, format } of FEEDS.slice(0, 3)) {
      const feeds = await fetchFeed(path, format);
      if (expectTitle) for (const list of titles(feeds)) expect(list, path).toContain(expectTitle);
    }
  }

  it("a record without schemaVersion and without `author` (a partial v0 record) is skipped and logged, not thrown", async () => {
    // Was: migrateV0 called slugify(old.author) → TypeError (undefined.normalize), so
    // decodeStoredArticle threw and every rebuild of the article's scopes failed.
    const slug = "partial-legacy-record";
    expect((await publish(slug, article(slug))).status).toBe(201);
    await writeRawRecord(slug, JSON.stringify({ slug, title: "x" }));
    await evict();
    errorSpy.mockClear();
    const res = await publish("after-partial-legacy", article("after-partial-legacy"));
    expect(res.status).toBe(201);
    expect(logged(errorSpy).some((line) => line.includes(articleKey(slug)))).toBe(true);
    await feedsStillWork(titleOf("after-partial-legacy"));
  });

  it("a record whose `updated` is not a date is skipped and logged, not fatal to the rebuild", async () => {
    // Was: decodeStoredArticle only checked that created/updated are strings; renderAtom's
    // formatRfc3339(e.updated) then threw RangeError and the whole rebuild failed.
    const slug = "bad-date-record";
    expect((await publish(slug, article(slug))).status).toBe(201);
    await writeRawRecord(
      slug,
      JSON.stringify({ ...(await storedRecord(slug)), updated: "yesterday" }),
    );
    await evict();
    errorSpy.mockClear();
    const res = await publish("after-bad-date", article("after-bad-date"));
    expect(res.status).toBe(201);
    expect(logged(errorSpy).some((line) => line.includes(articleKey(slug)))).toBe(true);
    await feedsStillWork(titleOf("after-bad-date"));
  });

  it("an HTML body with an out-of-range character reference (&#x110000;) does not stop publishing", async () => {
    // Was: the API accepted it and visibleText (src/core/bidi.ts) called
    // String.fromCodePoint(0x110000) → RangeError in toFeedEntry, so this publish and
    // every later rebuild of its scopes failed with 500.
    const slug = "out-of-range-reference";
    const res = await publish(
      slug,
      article(slug, { format: "html", body: "<p>&#x110000; نص</p>" }),
    );
    expect([201, 422]).toContain(res.status);
    const next = await publish("after-out-of-range", article("after-out-of-range"));
    expect(next.status).toBe(201);
    await feedsStillWork(titleOf("after-out-of-range"));
  });

  it("a truncated stored document whose metadata is intact is not served, but re-rendered", async () => {
    // Was: loadDoc (src/worker/routes/read.ts) trusted any value whose metadata passed
    // isDocMeta with the current build. (A same-length corruption still would be.)
    const key = docKey("/feed.xml");
    const good = await env.ARTICLES.getWithMetadata<DocMeta>(key, "text");
    await env.ARTICLES.put(key, (good.value ?? "").slice(0, 100), {
      metadata: good.metadata as DocMeta,
    });
    await fetchFeed("/feed.xml", "rss");
  });
});
