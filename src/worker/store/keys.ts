/**
 * The KV key scheme — the only module that builds keys.
 *
 * | key                | value                                      | metadata |
 * |--------------------|--------------------------------------------|----------|
 * | `article:<slug>`   | a record as earlier versions stored it: read once and moved into the Publisher's SQLite storage (records.ts); deleted with the article | — |
 * | `doc:<path>`       | a rendered feed or page, exactly as served | DocMeta  |
 *
 * `<path>` is the URL path the document is served at (`/feed.xml`, `/articles/<slug>`,
 * `/categories/<slug>/atom.xml`, …; see core/urls.ts), so the read path is one
 * `getWithMetadata`. The catalogue (order, tombstones, sequence numbers, validators)
 * lives in the Publisher Durable Object's SQLite storage (catalog-sql.ts), which is
 * strongly consistent; KV `list()` is not.
 */

export { type DocMeta, isDocMeta } from "../../core/publishing/doc-meta.ts";

export const ARTICLE_PREFIX = "article:";
export const DOC_PREFIX = "doc:";

export const articleKey = (slug: string): string => `${ARTICLE_PREFIX}${slug}`;
export const docKey = (path: string): string => `${DOC_PREFIX}${path}`;
