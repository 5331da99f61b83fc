/**
 * Article records in KV (`article:<slug>`), read through a cache bounded by bytes: the
 * writer reads the same few records over and over (the newest of each scope), but must
 * not keep every record it ever touched (the archive does not fit in 128 MB).
 */
import { BoundedCache } from "../../core/bounded-cache.ts";
import {
  decodeStoredArticle,
  SCHEMA_VERSION,
  type StoredArticle,
} from "../../core/stored-article.ts";
import { articleKey } from "./keys.ts";
import { withRetries } from "./retry.ts";

/** KV's bulk get takes at most 100 keys. */
const KEYS_PER_GET = 100;
/** Records kept in the writer's memory, by approximate size (UTF-16 text and overhead). */
const CACHE_BYTES = 16 * 1024 * 1024;
const approximateSize = (r: StoredArticle) =>
  2 * (r.article.body.length + r.article.summary.length + r.article.title.length) + 2048;

export class RecordStore {
  private readonly kv: KVNamespace;
  private readonly cache = new BoundedCache<string, StoredArticle>(CACHE_BYTES, approximateSize);

  constructor(kv: KVNamespace) {
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
    for (let i = 0; i < missing.length; i += KEYS_PER_GET) {
      const batch = missing.slice(i, i + KEYS_PER_GET);
      const values = await this.kv.get(batch.map(articleKey), "text");
      for (const slug of batch) {
        const decoded = decodeStoredArticle(values.get(articleKey(slug)) ?? null, slug);
        if (decoded.ok) {
          this.cache.set(slug, decoded.record);
          found.set(slug, decoded.record);
          if (decoded.migrated)
            console.warn(
              `migrated ${articleKey(slug)} to schema version ${SCHEMA_VERSION} in memory`,
            );
        } else {
          console.error(`skipping unreadable record ${articleKey(slug)}: ${decoded.reason}`);
        }
      }
    }
    return found;
  }

  /** Writes (or, for null, deletes) records; the cache follows only once KV has them. */
  async write(records: Map<string, StoredArticle | null>): Promise<void> {
    await Promise.all(
      [...records].map(([slug, record]) =>
        withRetries(() =>
          record
            ? this.kv.put(articleKey(slug), JSON.stringify(record))
            : this.kv.delete(articleKey(slug)),
        ),
      ),
    );
    for (const [slug, record] of records) {
      if (record) this.cache.set(slug, record);
      else this.cache.delete(slug);
    }
  }
}
