/**
 * Article records in the Publisher's SQLite storage (table `records`), read through a
 * cache bounded by bytes: the writer reads the same few records over and over (the
 * newest of each scope), but must not keep every record it ever touched (the archive
 * does not fit in 128 MB).
 *
 * Only the writer reads records, so they live beside the catalogue rather than in KV:
 * a commit writes a record and its catalogue entry in one transaction (nothing can hold
 * one without the other), a publish costs one KV write fewer (KV is billed per write and
 * paced at one write per key per second), and a read of an absent record costs nothing.
 * Records stored in KV by earlier versions (`article:<slug>`) are read from there once
 * and moved into SQLite; the KV copy, which nothing reads again, is deleted with the
 * article.
 *
 * Beside each record, its feed entry as the commit rendered it (table `feed_entries`):
 * the body's Markdown parsed, sanitised and cleaned. A writer that starts cold (an idle
 * Durable Object is evicted within seconds, so most publishes do) renders the newest
 * items of a few feeds; with the entries stored it parses JSON instead of Markdown. An
 * entry is used only if it was rendered by this build (configuration and renderer) from
 * this very record text; otherwise, or if it cannot be read, the record is rendered again.
 */
import { BoundedCache } from "../../core/bounded-cache.ts";
import { type FeedEntry, isFeedEntry } from "../../core/feeds/feed-document.ts";
import { fnv1aHex } from "../../core/fnv.ts";
import {
  decodeStoredArticle,
  SCHEMA_VERSION,
  type StoredArticle,
} from "../../core/stored-article.ts";
import { articleKey } from "./keys.ts";

/** KV's bulk get takes at most 100 keys. */
const KEYS_PER_READ = 100;
/** Durable Object SQL takes at most 100 bound parameters; one of them is the build. */
const SLUGS_PER_QUERY = 99;
/**
 * Records kept in the writer's memory, by approximate size (UTF-16 text and overhead; a
 * record's rendered entry, about its body's size again, lives as long as it does).
 */
const CACHE_BYTES = 16 * 1024 * 1024;
const approximateSize = (r: StoredArticle) =>
  4 * (r.article.body.length + r.article.summary.length + r.article.title.length) + 2048;

/** Which record text an entry was rendered from: a change detector, not a boundary. */
const recordHash = (text: string) => `${text.length}:${fnv1aHex(text)}`;

export class RecordStore {
  private readonly sql: SqlStorage;
  private readonly kv: KVNamespace;
  private readonly cache = new BoundedCache<string, StoredArticle>(CACHE_BYTES, approximateSize);
  /** The build (configuration and renderer) whose stored feed entries are valid. */
  private readonly build: string;
  /** Stored feed entries of the records read, until the writer has prepared them. */
  private readonly storedEntries = new WeakMap<StoredArticle, FeedEntry>();
  /** The stored text's hash of every record read from SQLite (see saveEntries). */
  private readonly hashes = new WeakMap<StoredArticle, string>();

  constructor(sql: SqlStorage, kv: KVNamespace, build: string) {
    this.sql = sql;
    this.kv = kv;
    this.build = build;
  }

  /** The feed entry stored for this record by this build, if any (taken: asked once). */
  takeStoredEntry(record: StoredArticle): FeedEntry | undefined {
    const entry = this.storedEntries.get(record);
    this.storedEntries.delete(record);
    return entry;
  }

  /** The readable records among `slugs`; unreadable ones are logged with their key and left out. */
  async read(slugs: string[]): Promise<Map<string, StoredArticle>> {
    const found = new Map<string, StoredArticle>();
    const missing = slugs.filter((slug) => {
      const cached = this.cache.get(slug);
      if (cached) found.set(slug, cached);
      return !cached;
    });
    const notInSql: string[] = [];
    for (let i = 0; i < missing.length; i += SLUGS_PER_QUERY) {
      const batch = missing.slice(i, i + SLUGS_PER_QUERY);
      const rows = new Map(
        this.sql
          .exec<{ slug: string; record: string; record_hash: string | null; entry: string | null }>(
            `SELECT r.slug, r.record, f.record_hash, f.entry FROM records r
               LEFT JOIN feed_entries f ON f.slug = r.slug AND f.build = ?
             WHERE r.slug IN (${batch.map(() => "?").join(",")})`,
            this.build,
            ...batch,
          )
          .toArray()
          .map((row) => [row.slug, row]),
      );
      for (const slug of batch) {
        const row = rows.get(slug);
        if (row === undefined) notInSql.push(slug);
        else if (this.accept(slug, row.record, found))
          this.keepStoredEntry(found.get(slug) as StoredArticle, row.record, row);
      }
    }
    if (notInSql.length > 0) await this.readLegacy(notInSql, found);
    return found;
  }

  /**
   * Records that earlier versions kept in KV: moved into SQLite when read. A slug in
   * neither store is logged like an unreadable record.
   */
  private async readLegacy(slugs: string[], found: Map<string, StoredArticle>): Promise<void> {
    for (let i = 0; i < slugs.length; i += KEYS_PER_READ) {
      const batch = slugs.slice(i, i + KEYS_PER_READ);
      const values = await this.kv.get(batch.map(articleKey), "text");
      for (const slug of batch) {
        const text = values.get(articleKey(slug)) ?? null;
        if (this.accept(slug, text, found) && text !== null) {
          this.sql.exec("INSERT OR IGNORE INTO records (slug, record) VALUES (?, ?)", slug, text);
          // The KV copy stays until the article is deleted (forgetLegacy): a delete per
          // record here would take a re-render batch of old records past Workers' 1,000
          // KV operations per invocation, and nothing reads the copy again.
          console.warn(`moved ${articleKey(slug)} from KV into the Publisher's storage`);
        }
      }
    }
  }

  private keepStoredEntry(
    record: StoredArticle,
    text: string,
    row: { record_hash: string | null; entry: string | null },
  ): void {
    const hash = recordHash(text);
    this.hashes.set(record, hash);
    if (row.entry === null || row.record_hash !== hash) return;
    let entry: unknown;
    try {
      entry = JSON.parse(row.entry);
    } catch {}
    if (isFeedEntry(entry)) this.storedEntries.set(record, entry);
    else console.error(`ignoring unreadable stored feed entry of ${articleKey(record.slug)}`);
  }

  private accept(slug: string, text: string | null, found: Map<string, StoredArticle>): boolean {
    const decoded = decodeStoredArticle(text, slug);
    if (!decoded.ok) {
      console.error(`skipping unreadable record ${articleKey(slug)}: ${decoded.reason}`);
      return false;
    }
    this.cache.set(slug, decoded.record);
    found.set(slug, decoded.record);
    if (decoded.migrated)
      console.warn(`migrated ${articleKey(slug)} to schema version ${SCHEMA_VERSION} in memory`);
    return true;
  }

  /**
   * Writes (or, for null, deletes) records, each with its rendered feed entry if the
   * writer has one. Synchronous SQL: the caller runs it in the same transaction as the
   * catalogue entries that name them.
   */
  write(
    records: Map<string, StoredArticle | null>,
    entryOf: (record: StoredArticle) => FeedEntry | undefined = () => undefined,
  ): void {
    for (const [slug, record] of records) {
      if (!record) {
        this.sql.exec("DELETE FROM records WHERE slug = ?", slug);
        this.sql.exec("DELETE FROM feed_entries WHERE slug = ?", slug);
        continue;
      }
      const text = JSON.stringify(record);
      this.sql.exec(
        "INSERT INTO records (slug, record) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET record = excluded.record",
        slug,
        text,
      );
      const entry = entryOf(record);
      if (entry) this.putEntry(slug, recordHash(text), entry);
      else this.sql.exec("DELETE FROM feed_entries WHERE slug = ?", slug);
    }
  }

  /**
   * Stores entries the writer rendered for records it read from SQLite (after a
   * configuration change, say), so the next cold start finds them; a record not read
   * from there (or changed since) is skipped.
   */
  saveEntries(rendered: { record: StoredArticle; entry: FeedEntry }[]): void {
    for (const { record, entry } of rendered) {
      const hash = this.hashes.get(record);
      if (hash === undefined || this.cache.get(record.slug) !== record) continue;
      this.putEntry(record.slug, hash, entry);
    }
  }

  private putEntry(slug: string, hash: string, entry: FeedEntry): void {
    this.sql.exec(
      `INSERT INTO feed_entries (slug, build, record_hash, entry) VALUES (?, ?, ?, ?)
       ON CONFLICT (slug) DO UPDATE SET build = excluded.build,
         record_hash = excluded.record_hash, entry = excluded.entry`,
      slug,
      this.build,
      hash,
      JSON.stringify(entry),
    );
  }

  /** After the transaction that wrote them committed: the cache follows storage. */
  remember(records: Map<string, StoredArticle | null>): void {
    for (const [slug, record] of records) {
      if (record) this.cache.set(slug, record);
      else this.cache.delete(slug);
    }
  }

  /** A delete also removes a copy an earlier version left in KV (if any). */
  async forgetLegacy(slugs: string[]): Promise<void> {
    await Promise.all(slugs.map((slug) => this.kv.delete(articleKey(slug)).catch(() => {})));
  }
}
