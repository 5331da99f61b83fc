/**
 * The KV key scheme — the only module that builds keys.
 *
 * | key                | value                                   | metadata   |
 * |--------------------|-----------------------------------------|------------|
 * | `article:<slug>`   | StoredArticle JSON (schema-versioned)   | —          |
 * | `doc:<path>`       | a rendered feed or page, exactly as served | DocMeta |
 *
 * `<path>` is the URL path the document is served at (`/feed.xml`, `/articles/<slug>`,
 * `/categories/<slug>/atom.xml`, …), so the read path is one `getWithMetadata`.
 * The catalogue (order, tombstones, sequence numbers) lives in the Publisher Durable
 * Object's own storage, which is strongly consistent; KV `list()` is not.
 */

export const ARTICLE_PREFIX = "article:";
export const DOC_PREFIX = "doc:";

export const articleKey = (slug: string): string => `${ARTICLE_PREFIX}${slug}`;
export const docKey = (path: string): string => `${DOC_PREFIX}${path}`;

/** What is stored beside a document: all its response headers need. */
export interface DocMeta {
  /** Strong ETag, quoted: a hash of the exact bytes. */
  etag: string;
  /** HTTP Last-Modified source (RFC 3339): when the bytes last changed. */
  lastModified: string;
  contentType: string;
  /** Content-Language: the feed's or the article's language. */
  language: string;
  /** The body's length in UTF-8 bytes: a truncated value is caught without hashing. */
  length: number;
  /** 200, or 410 for a deleted article's page. */
  status: 200 | 410;
  /** Fingerprint of the site configuration and renderer version it was built with. */
  build: string;
}

export function isDocMeta(value: unknown): value is DocMeta {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.etag === "string" &&
    m.etag.startsWith('"') &&
    typeof m.lastModified === "string" &&
    typeof m.contentType === "string" &&
    typeof m.language === "string" &&
    typeof m.length === "number" &&
    (m.status === 200 || m.status === 410) &&
    typeof m.build === "string"
  );
}
