/**
 * The catalogue in the Publisher's SQLite storage (ctx.storage.sql): one row per article
 * ever published (tombstones included until compacted), one row per (scope, article)
 * membership, the validators of every stored document, and two counters. Every question
 * the writer asks (CatalogView) is one indexed query: nothing lists or loads the whole
 * catalogue, and a cold start reads nothing up front, so publishing costs the same at
 * 100 articles and at 100,000.
 *
 * | table           | key                      | indexes (what they answer)                               |
 * |-----------------|--------------------------|----------------------------------------------------------|
 * | `articles`      | slug                     | (status, published desc, slug): site feed, admin lists,  |
 * |                 |                          | the next scheduled story; seq (unique): archive pages;   |
 * |                 |                          | retraction time: tombstones; expiry time: expiries due   |
 * | `scope_members` | (kind, scope, slug)      | (kind, scope, published desc, slug): scope feed, label;  |
 * |                 |                          | (kind, scope, deleted time): a scope's tombstones        |
 * | `scopes`        | (kind, scope)            | the categories and authors with any member (kept by      |
 * |                 |                          | apply and compact): the scope directory, the re-render   |
 * | `doc_state`     | path                     | the validators of the documents one commit writes        |
 * | `counters`      | name                     | `max_seq`, `live_count`, `schema`                        |
 * | `state`         | name                     | `build` documents were last fully rendered with; a       |
 * |                 |                          | re-render's `rerender_build` and `rerender_cursor`       |
 * | `records`       | slug                     | the article records (StoredArticle JSON; records.ts)     |
 * | `feed_entries`  | slug                     | each record's rendered feed entry, with the build and   |
 * |                 |                          | the record text it was rendered from (records.ts)        |
 */
import { type ArticleStatus, type CatalogEntry, statusOf, wasPublic } from "../../core/catalog.ts";
import { toEpochMs } from "../../core/dates.ts";
import type { CatalogView, ListPage, ScopeName } from "../../core/publishing/catalog-view.ts";
import type { Validators } from "../../core/publishing/validators.ts";
import type { FeedScope } from "../../core/urls.ts";

/** 1: the tables; 2: `scopes`, filled from scope_members once. */
const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS articles (
  slug TEXT PRIMARY KEY,
  seq INTEGER,
  status TEXT NOT NULL,
  published_ms INTEGER NOT NULL,
  deleted_ms INTEGER,
  expires_ms INTEGER,
  entry TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_by_seq ON articles (seq);
CREATE INDEX IF NOT EXISTS articles_by_status ON articles (status, published_ms DESC, slug);
CREATE INDEX IF NOT EXISTS articles_retracted ON articles (deleted_ms DESC, slug)
  WHERE deleted_ms IS NOT NULL AND seq IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_expiring ON articles (expires_ms)
  WHERE status = 'live' AND expires_ms IS NOT NULL;
CREATE TABLE IF NOT EXISTS scope_members (
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  slug TEXT NOT NULL,
  label TEXT NOT NULL,
  published_ms INTEGER NOT NULL,
  deleted_ms INTEGER,
  PRIMARY KEY (kind, scope, slug)
);
CREATE INDEX IF NOT EXISTS scope_members_newest ON scope_members (kind, scope, published_ms DESC, slug);
CREATE INDEX IF NOT EXISTS scope_members_deleted ON scope_members (kind, scope, deleted_ms DESC, slug)
  WHERE deleted_ms IS NOT NULL;
CREATE INDEX IF NOT EXISTS scope_members_by_slug ON scope_members (slug);
CREATE TABLE IF NOT EXISTS scopes (
  kind TEXT NOT NULL,
  scope TEXT NOT NULL,
  PRIMARY KEY (kind, scope)
);
CREATE TABLE IF NOT EXISTS doc_state (
  path TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  last_modified TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS state (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
  slug TEXT PRIMARY KEY,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_entries (
  slug TEXT PRIMARY KEY,
  build TEXT NOT NULL,
  record_hash TEXT NOT NULL,
  entry TEXT NOT NULL
);
`;

/** Durable Object SQL takes at most 100 bound parameters per statement. */
const PARAMS_PER_STATEMENT = 100;

/** Keys of the storage this replaced (Durable Object key-value storage, before SQL). */
export const LEGACY_KEYS = { catalog: "catalog:", docState: "docstate:", seq: "seq" } as const;

type Row = Record<string, SqlStorageValue>;

export class SqlCatalog implements CatalogView {
  private readonly sql: SqlStorage;

  private constructor(sql: SqlStorage) {
    this.sql = sql;
  }

  /**
   * Opens the catalogue: creates the tables if needed and, once, moves a catalogue kept
   * in the older key-value storage into them (in batches; the old keys are deleted in
   * the same transaction as each batch is inserted, so an interrupted move resumes).
   */
  static async open(storage: DurableObjectStorage): Promise<SqlCatalog> {
    const catalog = new SqlCatalog(storage.sql);
    storage.sql.exec(SCHEMA);
    const version = catalog.counter("schema");
    if (version < 1) await catalog.migrateLegacy(storage);
    if (version < 2)
      storage.transactionSync(() =>
        storage.sql.exec(
          "INSERT OR IGNORE INTO scopes (kind, scope) SELECT DISTINCT kind, scope FROM scope_members",
        ),
      );
    if (version < SCHEMA_VERSION) catalog.setCounter("schema", SCHEMA_VERSION);
    return catalog;
  }

  private async migrateLegacy(storage: DurableObjectStorage): Promise<void> {
    for (;;) {
      const batch = await storage.list<CatalogEntry>({ prefix: LEGACY_KEYS.catalog, limit: 500 });
      if (batch.size === 0) break;
      storage.transactionSync(() => {
        this.apply([...batch.values()]);
        storage.delete([...batch.keys()]);
      });
    }
    for (;;) {
      const batch = await storage.list<Validators>({ prefix: LEGACY_KEYS.docState, limit: 500 });
      if (batch.size === 0) break;
      storage.transactionSync(() => {
        this.saveValidators(
          new Map(
            [...batch].map(([key, state]) => [key.slice(LEGACY_KEYS.docState.length), state]),
          ),
        );
        storage.delete([...batch.keys()]);
      });
    }
    const seq = await storage.get<number>(LEGACY_KEYS.seq);
    if (typeof seq === "number") {
      storage.transactionSync(() => {
        this.setCounter("max_seq", Math.max(seq, this.maxSeq()));
        storage.delete(LEGACY_KEYS.seq);
      });
    }
  }

  private counter(name: string): number {
    const row = this.sql.exec("SELECT value FROM counters WHERE name = ?", name).toArray()[0];
    return row ? Number(row.value) : 0;
  }

  private setCounter(name: string, value: number): void {
    this.sql.exec(
      "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      name,
      value,
    );
  }

  state(name: string): string | undefined {
    const row = this.sql.exec("SELECT value FROM state WHERE name = ?", name).toArray()[0];
    return row ? (row.value as string) : undefined;
  }

  setState(name: string, value: string | undefined): void {
    if (value === undefined) this.sql.exec("DELETE FROM state WHERE name = ?", name);
    else
      this.sql.exec(
        "INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        name,
        value,
      );
  }

  /**
   * Categories and authors with any member, after `after` in (kind, slug) order: from the
   * `scopes` table, which apply() and compact() keep, one index seek.
   */
  scopesAfter(after: ScopeName | undefined, limit: number): ScopeName[] {
    return this.sql
      .exec(
        "SELECT kind, scope FROM scopes WHERE (kind, scope) > (?, ?) ORDER BY kind, scope LIMIT ?",
        after?.kind ?? "",
        after?.slug ?? "",
        limit,
      )
      .toArray()
      .map((row) => ({ kind: row.kind as "category" | "author", slug: row.scope as string }));
  }

  /** Slugs of every article (live or deleted) after `after`, in slug order. */
  slugsAfter(after: string, limit: number): string[] {
    return this.sql
      .exec("SELECT slug FROM articles WHERE slug > ? ORDER BY slug LIMIT ?", after, limit)
      .toArray()
      .map((row) => row.slug as string);
  }

  private entries(cursor: Iterable<Row>): CatalogEntry[] {
    return [...cursor].map((row) => JSON.parse(row.entry as string) as CatalogEntry);
  }

  // ---- writes (the caller wraps them in one transaction) -------------------

  /** Stores new versions of catalogue entries, keeping the counters and memberships. */
  apply(entries: CatalogEntry[]): void {
    let live = this.counter("live_count");
    let maxSeq = this.maxSeq();
    for (const entry of entries) {
      const old = this.sql
        .exec("SELECT status FROM articles WHERE slug = ?", entry.slug)
        .toArray()[0];
      const status = statusOf(entry);
      live += (status === "live" ? 1 : 0) - (old?.status === "live" ? 1 : 0);
      maxSeq = Math.max(maxSeq, entry.seq);
      const publishedMs = toEpochMs(entry.published);
      const deletedMs = status !== "live" && entry.deleted ? toEpochMs(entry.deleted) : null;
      this.sql.exec(
        `INSERT INTO articles (slug, seq, status, published_ms, deleted_ms, expires_ms, entry)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (slug) DO UPDATE SET seq = excluded.seq, status = excluded.status,
           published_ms = excluded.published_ms, deleted_ms = excluded.deleted_ms,
           expires_ms = excluded.expires_ms, entry = excluded.entry`,
        entry.slug,
        wasPublic(entry) ? entry.seq : null,
        status,
        publishedMs,
        deletedMs,
        entry.expires ? toEpochMs(entry.expires) : null,
        JSON.stringify(entry),
      );
      const before = this.membershipsOf(entry.slug);
      this.sql.exec("DELETE FROM scope_members WHERE slug = ?", entry.slug);
      // A scope is named only by articles that were public at some time.
      const members = wasPublic(entry)
        ? [
            ...entry.categories.map((c) => ["category", c.slug, c.label] as const),
            ...entry.authors.map((a) => ["author", a.slug, a.name] as const),
          ]
        : [];
      for (const [kind, scope] of members)
        this.sql.exec("INSERT OR IGNORE INTO scopes (kind, scope) VALUES (?, ?)", kind, scope);
      this.forgetEmptyScopes(
        before.filter(([k, sc]) => !members.some(([kind, scope]) => kind === k && scope === sc)),
      );
      for (const [kind, scope, label] of members) {
        this.sql.exec(
          `INSERT OR IGNORE INTO scope_members (kind, scope, slug, label, published_ms, deleted_ms)
           VALUES (?, ?, ?, ?, ?, ?)`,
          kind,
          scope,
          entry.slug,
          label,
          publishedMs,
          deletedMs,
        );
      }
    }
    this.setCounter("live_count", live);
    this.setCounter("max_seq", maxSeq);
  }

  /** Forgets tombstones deleted before `beforeMs` (after TOMBSTONE_DAYS); returns how many. */
  compact(beforeMs: number): number {
    // Only deleted articles: an expired or withdrawn one keeps its record and status.
    const gone = this.sql
      .exec("SELECT slug FROM articles WHERE status = 'deleted' AND deleted_ms < ?", beforeMs)
      .toArray()
      .map((r) => r.slug as string);
    for (const slug of gone) {
      const before = this.membershipsOf(slug);
      this.sql.exec("DELETE FROM articles WHERE slug = ?", slug);
      this.sql.exec("DELETE FROM scope_members WHERE slug = ?", slug);
      this.forgetEmptyScopes(before);
    }
    return gone.length;
  }

  private membershipsOf(slug: string): (readonly [string, string])[] {
    return this.sql
      .exec("SELECT kind, scope FROM scope_members WHERE slug = ?", slug)
      .toArray()
      .map((row) => [row.kind as string, row.scope as string] as const);
  }

  /** Scopes an article left: gone from `scopes` if it was their last member. */
  private forgetEmptyScopes(left: (readonly [string, string])[]): void {
    for (const [kind, scope] of left) {
      const any = this.sql
        .exec("SELECT 1 FROM scope_members WHERE kind = ? AND scope = ? LIMIT 1", kind, scope)
        .toArray();
      if (any.length === 0)
        this.sql.exec("DELETE FROM scopes WHERE kind = ? AND scope = ?", kind, scope);
    }
  }

  validators(paths: string[]): Map<string, Validators> {
    const found = new Map<string, Validators>();
    for (let i = 0; i < paths.length; i += PARAMS_PER_STATEMENT) {
      const batch = paths.slice(i, i + PARAMS_PER_STATEMENT);
      const rows = this.sql.exec(
        `SELECT path, etag, last_modified FROM doc_state WHERE path IN (${batch.map(() => "?").join(",")})`,
        ...batch,
      );
      for (const row of rows)
        found.set(row.path as string, {
          etag: row.etag as string,
          lastModified: row.last_modified as string,
        });
    }
    return found;
  }

  saveValidators(states: Map<string, Validators>): void {
    for (const [path, state] of states) {
      this.sql.exec(
        `INSERT INTO doc_state (path, etag, last_modified) VALUES (?, ?, ?)
         ON CONFLICT (path) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified`,
        path,
        state.etag,
        state.lastModified,
      );
    }
  }

  /** Digests of live articles with a slug after `after`, in slug order (the primary key). */
  digests(after: string, limit: number): { slug: string; digest: string | null }[] {
    return this.sql
      .exec(
        `SELECT slug, json_extract(entry, '$.digest') AS digest FROM articles
         WHERE slug > ? AND status != 'deleted' ORDER BY slug LIMIT ?`,
        after,
        limit,
      )
      .toArray()
      .map((row) => ({ slug: row.slug as string, digest: (row.digest as string | null) ?? null }));
  }

  // ---- CatalogView ---------------------------------------------------------

  entry(slug: string): CatalogEntry | undefined {
    return this.entries(this.sql.exec("SELECT entry FROM articles WHERE slug = ?", slug))[0];
  }

  maxSeq(): number {
    return this.counter("max_seq");
  }

  liveCount(): number {
    return this.counter("live_count");
  }

  newest(scope: FeedScope, limit: number): CatalogEntry[] {
    if (scope.kind === "site") {
      return this.entries(
        this.sql.exec(
          "SELECT entry FROM articles WHERE status = 'live' ORDER BY published_ms DESC, slug LIMIT ?",
          limit,
        ),
      );
    }
    return this.entries(
      this.sql.exec(
        `SELECT a.entry FROM scope_members m JOIN articles a ON a.slug = m.slug
         WHERE m.kind = ? AND m.scope = ? AND m.deleted_ms IS NULL
         ORDER BY m.published_ms DESC, m.slug LIMIT ?`,
        scope.kind,
        scope.slug,
        limit,
      ),
    );
  }

  publishedSince(sinceMs: number, limit: number): CatalogEntry[] {
    return this.entries(
      this.sql.exec(
        `SELECT entry FROM articles WHERE status = 'live' AND published_ms >= ?
         ORDER BY published_ms DESC, slug LIMIT ?`,
        sinceMs,
        limit,
      ),
    );
  }

  archivePage(page: number, pageSize: number): CatalogEntry[] {
    const low = (page - 1) * pageSize;
    return this.entries(
      this.sql.exec(
        `SELECT entry FROM articles INDEXED BY articles_by_seq WHERE seq > ? AND seq <= ? AND status = 'live'
         ORDER BY published_ms DESC, slug`,
        low,
        low + pageSize,
      ),
    );
  }

  /**
   * One probe per page on the unique seq index (a page count of maxSeq / pageSize, about
   * 100 at 100,000 articles for sitemaps), never a scan of the live rows. Durable Object
   * SQLite keeps no statistics (no ANALYZE), so its planner would pick the status index
   * for `status = 'live'` and scan every live row: queries by seq range and by expiry
   * name their index (INDEXED BY), found with EXPLAIN QUERY PLAN at 100,000 rows.
   */
  pagesWithLive(pageSize: number): number[] {
    const pages: number[] = [];
    const last = Math.ceil(this.maxSeq() / pageSize);
    for (let page = 1; page <= last; page++) {
      const low = (page - 1) * pageSize;
      const hit = this.sql
        .exec(
          "SELECT 1 FROM articles INDEXED BY articles_by_seq WHERE seq > ? AND seq <= ? AND status = 'live' LIMIT 1",
          low,
          low + pageSize,
        )
        .toArray();
      if (hit.length > 0) pages.push(page);
    }
    return pages;
  }

  tombstones(scope: FeedScope, sinceMs: number): CatalogEntry[] {
    if (scope.kind === "site") {
      return this.entries(
        this.sql.exec(
          `SELECT entry FROM articles WHERE deleted_ms >= ? AND seq IS NOT NULL
           ORDER BY deleted_ms DESC, slug`,
          sinceMs,
        ),
      );
    }
    return this.entries(
      this.sql.exec(
        `SELECT a.entry FROM scope_members m JOIN articles a ON a.slug = m.slug
         WHERE m.kind = ? AND m.scope = ? AND m.deleted_ms >= ?
         ORDER BY m.deleted_ms DESC, m.slug`,
        scope.kind,
        scope.slug,
        sinceMs,
      ),
    );
  }

  label(scope: FeedScope): string | undefined {
    if (scope.kind === "site") return undefined;
    const row = this.sql
      .exec(
        `SELECT label FROM scope_members WHERE kind = ? AND scope = ?
         ORDER BY published_ms DESC, slug LIMIT 1`,
        scope.kind,
        scope.slug,
      )
      .toArray()[0];
    return row ? (row.label as string) : undefined;
  }

  list(page: ListPage): CatalogEntry[] {
    const { cursor, limit, status } = page;
    if (cursor) {
      const ms = toEpochMs(cursor.published);
      return this.entries(
        this.sql.exec(
          `SELECT entry FROM articles WHERE status = ?
             AND (published_ms < ? OR (published_ms = ? AND slug > ?))
           ORDER BY published_ms DESC, slug LIMIT ?`,
          status,
          ms,
          ms,
          cursor.slug,
          limit,
        ),
      );
    }
    return this.entries(
      this.sql.exec(
        "SELECT entry FROM articles WHERE status = ? ORDER BY published_ms DESC, slug LIMIT ? OFFSET ?",
        status,
        limit,
        page.offset ?? 0,
      ),
    );
  }

  count(status: ArticleStatus): number {
    if (status === "live") return this.liveCount();
    const row = this.sql.exec("SELECT COUNT(*) AS n FROM articles WHERE status = ?", status).one();
    return Number(row.n);
  }

  due(nowMs: number, limit: number): CatalogEntry[] {
    return this.entries(
      this.sql.exec(
        `SELECT entry FROM (
           SELECT entry, published_ms AS at, slug FROM articles
             WHERE status = 'scheduled' AND published_ms <= ?
           UNION ALL
           SELECT entry, expires_ms AS at, slug FROM articles INDEXED BY articles_expiring
             WHERE status = 'live' AND expires_ms IS NOT NULL AND expires_ms <= ?
         ) ORDER BY at, slug LIMIT ?`,
        nowMs,
        nowMs,
        limit,
      ),
    );
  }

  nextDueMs(): number | undefined {
    const row = this.sql
      .exec(
        `SELECT MIN(at) AS at FROM (
           SELECT MIN(published_ms) AS at FROM articles WHERE status = 'scheduled'
           UNION ALL
           SELECT MIN(expires_ms) AS at FROM articles INDEXED BY articles_expiring
             WHERE status = 'live' AND expires_ms IS NOT NULL
         )`,
      )
      .one();
    return row.at === null ? undefined : Number(row.at);
  }
}
