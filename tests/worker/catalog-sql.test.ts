/**
 * The SQL catalogue answers every question exactly as the reference (the plain-list
 * MemoryCatalog built on core/catalog.ts), moves a catalogue kept in the older key-value
 * storage into its tables once, and starts cold without reading the catalogue.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ARTICLE_STATUSES, type CatalogEntry, statusOf } from "../../src/core/catalog.ts";
import {
  type CatalogView,
  MemoryCatalog,
  type ScopeName,
} from "../../src/core/publishing/catalog-view.ts";
import type { FeedScope } from "../../src/core/urls.ts";
import type { Publisher } from "../../src/worker/publisher.ts";
import { publisherOf } from "../../src/worker/site-config.ts";
import { LEGACY_KEYS, SqlCatalog } from "../../src/worker/store/catalog-sql.ts";
import { randomCatalog } from "../support/catalog-fixtures.ts";
import { publish, request, sampleArticle } from "./helpers.ts";

/** A Durable Object of its own, so each case starts from empty storage. */
const isolated = (name: string) => env.PUBLISHER.get(env.PUBLISHER.idFromName(name));

const scopesOf = (entries: CatalogEntry[]): FeedScope[] => [
  { kind: "site" },
  ...[...new Set(entries.flatMap((e) => e.categories.map((c) => c.slug)))].map(
    (slug) => ({ kind: "category", slug }) as const,
  ),
  ...[...new Set(entries.flatMap((e) => e.authors.map((a) => a.slug)))].map(
    (slug) => ({ kind: "author", slug }) as const,
  ),
  { kind: "category", slug: "nobody-here" },
];

/** Every category and author, walked in keyset pages of `limit`. */
function walkScopes(catalog: CatalogView, limit: number): ScopeName[] {
  const names: ScopeName[] = [];
  for (let after: ScopeName | undefined; ; ) {
    const page = catalog.scopesAfter(after, limit);
    names.push(...page);
    if (page.length < limit) return names;
    after = page[page.length - 1];
  }
}

describe("SqlCatalog against the reference", () => {
  it.each([1, 2, 3])("seed %i: every selection equals the plain-list answer", async (seed) => {
    const entries = randomCatalog(300, seed);
    const reference = new MemoryCatalog(entries);
    await runInDurableObject(isolated(`sql-ref-${seed}`), async (_: Publisher, state) => {
      const sql = await SqlCatalog.open(state.storage);
      // Applied in two commits, with later versions of some entries, as publishing does.
      state.storage.transactionSync(() => sql.apply(entries.slice(0, 150)));
      state.storage.transactionSync(() => sql.apply(entries.slice(150)));
      state.storage.transactionSync(() => sql.apply(entries.slice(0, 20)));
      expect(sql.maxSeq()).toBe(reference.maxSeq());
      expect(sql.liveCount()).toBe(reference.liveCount());
      for (const e of entries.slice(0, 30)) expect(sql.entry(e.slug)).toEqual(e);
      expect(sql.entry("missing")).toBeUndefined();
      const times = entries.flatMap((e) => (e.deleted ? [Date.parse(e.deleted)] : []));
      const since = times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
      for (const scope of scopesOf(entries)) {
        expect(sql.newest(scope, 50), JSON.stringify(scope)).toEqual(reference.newest(scope, 50));
        expect(sql.tombstones(scope, since)).toEqual(reference.tombstones(scope, since));
        expect(sql.label(scope)).toEqual(reference.label(scope));
      }
      for (const page of [1, 2, 7, 30, 31]) {
        expect(sql.archivePage(page, 10)).toEqual(reference.archivePage(page, 10));
      }
      // Every category and author, walked in keyset pages (the scope directory).
      expect(walkScopes(sql, 7).length).toBeGreaterThan(3);
      expect(walkScopes(sql, 7)).toEqual(walkScopes(reference, 1000));
      expect(walkScopes(sql, 1000)).toEqual(walkScopes(reference, 3));
      // Sitemaps: the pages that hold a live entry, and the recent ones for Google News.
      for (const size of [1, 7, 50, 1000])
        expect(sql.pagesWithLive(size), `pages of ${size}`).toEqual(reference.pagesWithLive(size));
      const published = entries.map((e) => Date.parse(e.published)).sort((a, b) => a - b);
      for (const at of [0, 0.5, 0.9].map((q) => published[Math.floor(q * published.length)] ?? 0))
        for (const limit of [5, 1000])
          expect(sql.publishedSince(at, limit)).toEqual(reference.publishedSince(at, limit));
      // Keyset and offset paging agree with the reference and with each other.
      let cursor: { published: string; slug: string } | undefined;
      const walked: CatalogEntry[] = [];
      for (;;) {
        const page = sql.list({ status: "live", limit: 37, ...(cursor ? { cursor } : {}) });
        expect(page).toEqual(
          reference.list({ status: "live", limit: 37, ...(cursor ? { cursor } : {}) }),
        );
        if (page.length === 0) break;
        walked.push(...page);
        const last = page[page.length - 1] as CatalogEntry;
        cursor = { published: last.published, slug: last.slug };
      }
      expect(walked).toEqual(reference.newest({ kind: "site" }, 10_000));
      expect(sql.list({ status: "live", offset: 40, limit: 25 })).toEqual(walked.slice(40, 65));
      for (const status of ARTICLE_STATUSES) {
        expect(sql.count(status), status).toBe(reference.count(status));
        expect(sql.list({ status, limit: 500 })).toEqual(reference.list({ status, limit: 500 }));
      }
      // What the passing of time changes, and when it next does.
      expect(sql.nextDueMs()).toBe(reference.nextDueMs());
      for (const now of [Date.UTC(2024, 0, 1), Date.UTC(2024, 6, 1), Date.UTC(2026, 0, 1)])
        expect(sql.due(now, 1000)).toEqual(reference.due(now, 1000));
    });
  });

  it("compaction forgets only deletions older than the retention", async () => {
    const entries = randomCatalog(100, 9);
    await runInDurableObject(isolated("sql-compact"), async (_: Publisher, state) => {
      const sql = await SqlCatalog.open(state.storage);
      state.storage.transactionSync(() => sql.apply(entries));
      const deleted = entries.filter((e) => e.deleted);
      const cutoff = Date.parse((deleted[0] as CatalogEntry).deleted as string);
      // Expired and withdrawn articles keep their records and statuses: only deletions go.
      const forgotten = deleted.filter(
        (e) => statusOf(e) === "deleted" && Date.parse(e.deleted as string) < cutoff,
      );
      expect(forgotten.length).toBeGreaterThan(0);
      expect(state.storage.transactionSync(() => sql.compact(cutoff))).toBe(forgotten.length);
      for (const e of forgotten) expect(sql.entry(e.slug)).toBeUndefined();
      const kept = new MemoryCatalog(entries.filter((e) => !forgotten.includes(e)));
      expect(walkScopes(sql, 5)).toEqual(walkScopes(kept, 1000));
      for (const scope of scopesOf(entries)) {
        expect(sql.tombstones(scope, 0)).toEqual(kept.tombstones(scope, 0));
        expect(sql.newest(scope, 500)).toEqual(kept.newest(scope, 500));
      }
    });
  });
});

describe("schema 2: the scopes table", () => {
  it("is filled once from the memberships of a catalogue kept by schema 1", async () => {
    const entries = randomCatalog(120, 5);
    await runInDurableObject(isolated("scopes-upgrade"), async (_: Publisher, state) => {
      const first = await SqlCatalog.open(state.storage);
      state.storage.transactionSync(() => first.apply(entries));
      // As schema 1 left it: memberships, no scopes table.
      state.storage.sql.exec("DROP TABLE scopes");
      state.storage.sql.exec("UPDATE counters SET value = 1 WHERE name = 'schema'");
      const reopened = await SqlCatalog.open(state.storage);
      expect(walkScopes(reopened, 1000).length).toBeGreaterThan(3);
      expect(walkScopes(reopened, 7)).toEqual(walkScopes(new MemoryCatalog(entries), 1000));
    });
  });

  it("forgets a scope its last article left, and keeps one that other articles hold", async () => {
    const reference = new MemoryCatalog();
    await runInDurableObject(isolated("scopes-leave"), async (_: Publisher, state) => {
      const sql = await SqlCatalog.open(state.storage);
      const live = randomCatalog(60, 6).filter((e) => statusOf(e) === "live");
      const [a, b, c] = live as [CatalogEntry, CatalogEntry, CatalogEntry];
      const inDesk = (e: CatalogEntry, desk: string): CatalogEntry => ({
        ...e,
        categories: [{ slug: desk, label: desk }],
      });
      for (const e of [inDesk(a, "lonely"), inDesk(b, "shared"), inDesk(c, "shared")]) {
        state.storage.transactionSync(() => sql.apply([e]));
        reference.put(e);
      }
      // The only article in "lonely" moves to "shared".
      const moved = inDesk(a, "shared");
      state.storage.transactionSync(() => sql.apply([moved]));
      reference.put(moved);
      expect(walkScopes(sql, 1000)).toEqual(walkScopes(reference, 1000));
      expect(walkScopes(sql, 1000).map((n) => n.slug)).not.toContain("lonely");
      expect(walkScopes(sql, 1000).map((n) => n.slug)).toContain("shared");
    });
  });
});

describe("moving the older key-value catalogue into SQL", () => {
  it("happens once on first start: the articles, their numbers and validators carry over", async () => {
    const stub = isolated("legacy-move");
    const legacy = randomCatalog(40, 4);
    await runInDurableObject(stub, async (_: Publisher, state) => {
      // Storage as the previous release left it: no tables, only key-value pairs.
      state.storage.sql.exec(
        "DROP TABLE articles; DROP TABLE scope_members; DROP TABLE doc_state; DROP TABLE counters;",
      );
      const pairs: Record<string, unknown> = { [LEGACY_KEYS.seq]: 40 };
      for (const e of legacy) pairs[`${LEGACY_KEYS.catalog}${e.slug}`] = e;
      pairs[`${LEGACY_KEYS.docState}/feed.xml`] = {
        etag: '"old"',
        lastModified: "2020-01-01T00:00:00Z",
      };
      await state.storage.put(pairs);
    });
    await evictDurableObject(stub);
    const reference = new MemoryCatalog(legacy);
    const listed = await stub.list("live", 0, 100);
    expect(listed.total).toBe(reference.liveCount());
    expect(listed.entries).toEqual(reference.newest({ kind: "site" }, 100));
    await runInDurableObject(stub, async (_: Publisher, state) => {
      expect((await state.storage.list()).size).toBe(0);
      const sql = await SqlCatalog.open(state.storage);
      expect(sql.maxSeq()).toBe(40);
      expect(sql.validators(["/feed.xml"]).get("/feed.xml")?.etag).toBe('"old"');
    });
  });
});

describe("cold start", () => {
  it("an evicted Publisher publishes and lists without reading the catalogue up front", async () => {
    const stub = publisherOf(env);
    expect((await publish("cold-one", sampleArticle({ title: "بارد ١" }))).status).toBe(201);
    await evictDurableObject(stub);
    expect((await publish("cold-two", sampleArticle({ title: "بارد ٢" }))).status).toBe(201);
    const listed = await stub.list("live", 0, 10);
    expect(listed.entries.map((e) => e.slug)).toEqual(
      expect.arrayContaining(["cold-one", "cold-two"]),
    );
    const feed = await (await request("/feed.json")).json<{ items: { id: string }[] }>();
    expect(feed.items.map((i) => i.id)).toEqual(
      expect.arrayContaining([
        "http://localhost:8787/articles/cold-two",
        "http://localhost:8787/articles/cold-one",
      ]),
    );
    // The second article continues the numbering of the first, across the restart.
    const seqs = listed.entries.filter((e) => e.slug.startsWith("cold-")).map((e) => e.seq);
    expect(Math.abs((seqs[0] ?? 0) - (seqs[1] ?? 0))).toBe(1);
  });
});
