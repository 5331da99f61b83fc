/**
 * The article as stored in KV: the editor's article plus what the server decides.
 * Records carry a schema version; older versions are migrated on read, and a record
 * that cannot be read is reported (never thrown) so one bad record cannot take a feed
 * down.
 */
import { type Article, validateArticle } from "./article.ts";
import { isIsoDateTimeWithZone } from "./dates.ts";

export const SCHEMA_VERSION = 1;

export interface StoredArticle {
  schemaVersion: typeof SCHEMA_VERSION;
  slug: string;
  article: Article;
  /** First publication in this system (RFC 3339 UTC). */
  created: string;
  /** Last change that altered the article (RFC 3339 UTC); feeds' `updated`. */
  updated: string;
  /** Order of first publication, 1-based: fixes which archive page holds the article. 0 until
   * it is first public (a draft or a scheduled story). */
  seq: number;
}

/**
 * A record as the writer makes it for a first version: dated by the article itself (see
 * publishing/changes.ts), `updated` later once it is edited.
 */
export function recordOf(
  slug: string,
  article: Article,
  seq: number,
  updated = article.published,
): StoredArticle {
  return { schemaVersion: SCHEMA_VERSION, slug, article, created: article.published, updated, seq };
}

export type DecodeResult =
  | { ok: true; record: StoredArticle; migrated: boolean }
  | { ok: false; reason: string };

/**
 * Version 0, written before records were versioned: one author name as a string and
 * categories as plain labels.
 */
interface StoredArticleV0 {
  slug: string;
  title: string;
  summary: string;
  body: string;
  language: string;
  author: string;
  published: string;
  categories?: string[];
  created: string;
  updated: string;
  seq: number;
}

function slugify(label: string, fallback: string): string {
  const ascii = label
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return ascii || fallback;
}

function migrateV0(old: StoredArticleV0): unknown {
  return {
    schemaVersion: 1,
    slug: old.slug,
    created: old.created,
    updated: old.updated,
    seq: old.seq,
    article: {
      title: old.title,
      summary: old.summary,
      body: old.body,
      format: "markdown",
      language: old.language,
      authors: [{ name: old.author, slug: slugify(old.author, "author") }],
      published: old.published,
      categories: (old.categories ?? []).map((label, i) => ({
        label,
        slug: slugify(label, `category-${i + 1}`),
      })),
    },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === "object" && x !== null && !Array.isArray(x);

/** Reads a record from its stored JSON text; `slug` is the one its key names. */
export function decodeStoredArticle(raw: string | null, slug: string): DecodeResult {
  if (raw === null) return { ok: false, reason: "missing" };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message})` };
  }
  if (!isObject(data)) return { ok: false, reason: "not a JSON object" };
  let migrated = false;
  if (data.schemaVersion === undefined) {
    const missing = ["title", "summary", "body", "language", "author", "published"].filter(
      (field) => typeof (data as Record<string, unknown>)[field] !== "string",
    );
    if (missing.length > 0)
      return { ok: false, reason: `version 0 record without ${missing.join(", ")}` };
    data = migrateV0(data as unknown as StoredArticleV0);
    migrated = true;
  } else if (data.schemaVersion !== SCHEMA_VERSION) {
    return { ok: false, reason: `unknown schemaVersion ${String(data.schemaVersion)}` };
  }
  const record = data as Record<string, unknown>;
  if (record.slug !== slug)
    return { ok: false, reason: `slug "${String(record.slug)}" does not match its key` };
  for (const field of ["created", "updated"] as const) {
    const value = record[field];
    if (typeof value !== "string" || !isIsoDateTimeWithZone(value)) {
      return { ok: false, reason: `${field} is not an ISO 8601 date-time with a zone` };
    }
  }
  if (typeof record.seq !== "number" || !Number.isInteger(record.seq) || record.seq < 0) {
    return { ok: false, reason: "seq missing" };
  }
  const checked = validateArticle(record.article, slug);
  if (!checked.ok) {
    return {
      ok: false,
      reason: checked.errors.map((e) => `article.${e.path} ${e.message}`).join("; "),
    };
  }
  return {
    ok: true,
    migrated,
    record: {
      schemaVersion: SCHEMA_VERSION,
      slug,
      article: checked.article,
      created: record.created as string,
      updated: record.updated as string,
      seq: record.seq,
    },
  };
}
