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
 */
import { BoundedCache } from "../../core/bounded-cache.ts";
import {
  decodeStoredArticle,
  SCHEMA_VERSION,
  type StoredArticle,
} from "../../core/stored-article.ts";
import { articleKey } from "./keys.ts";

/** KV's bulk get takes at most 100 keys; Durable Object SQL at most 100 bound parameters. */
const KEYS_PER_READ = 100;
/** Records kept in the writer's memory, by approximate size (UTF-16 text and overhead). */
const CACHE_BYTES = 16 * 1024 * 1024;
const approximateSize = (r: StoredArticle) =>
  2 * (r.article.body.length + r.article.summary.length + r.article.title.length) + 2048;

export class RecordStore {
  private readonly sql: SqlStorage;
  private readonly kv: KVNamespace;
  private readonly cache = new BoundedCache<string, StoredArticle>(CACHE_BYTES, approximateSize);

  constructor(sql: SqlStorage, kv: KVNamespace) {
    this.sql = sql;
    this.kv = kv;
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
    for (let i = 0; i < missing.length; i += KEYS_PER_READ) {
      const batch = missing.slice(i, i + KEYS_PER_READ);
      const rows = new Map(
        this.sql
          .exec<{ slug: string; record: string }>(
            `SELECT slug, record FROM records WHERE slug IN (${batch.map(() => "?").join(",")})`,
            ...batch,
          )
          .toArray()
          .map((row) => [row.slug, row.record]),
      );
      for (const slug of batch) {
        const text = rows.get(slug);
        if (text === undefined) notInSql.push(slug);
        else this.accept(slug, text, found);
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
   * Writes (or, for null, deletes) records. Synchronous SQL: the caller runs it in the
   * same transaction as the catalogue entries that name them.
   */
  write(records: Map<string, StoredArticle | null>): void {
    for (const [slug, record] of records) {
      if (record)
        this.sql.exec(
          "INSERT INTO records (slug, record) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET record = excluded.record",
          slug,
          JSON.stringify(record),
        );
      else this.sql.exec("DELETE FROM records WHERE slug = ?", slug);
    }
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
