/**
 * The catalogue: one small entry per article, kept by the single writer, from which it
 * decides what each feed holds. Entries outlive deletion (as tombstones) so ids, archive
 * positions and retractions stay stable.
 */

import { toEpochMs } from "./dates.ts";
import type { StoredArticle } from "./stored-article.ts";
import type { FeedScope } from "./urls.ts";

/**
 * Where an article stands. Only `live` articles are in public documents; one that was
 * public and no longer is (deleted, expired, or taken back to draft or scheduled) leaves
 * a tombstone and its page answers 410; one never public leaves no trace.
 */
export type ArticleStatus = "draft" | "scheduled" | "live" | "expired" | "deleted";
export const ARTICLE_STATUSES: ArticleStatus[] = [
  "draft",
  "scheduled",
  "live",
  "expired",
  "deleted",
];

export interface CatalogEntry {
  slug: string;
  /** The headline, for the admin list (older entries may lack it). */
  title?: string;
  /** Order of first publication (archive position); 0 while never public. */
  seq: number;
  published: string;
  updated: string;
  language: string;
  categories: { slug: string; label: string }[];
  authors: { slug: string; name: string }[];
  /** When it left the public documents (RFC 3339): deleted, expired or withdrawn. */
  deleted?: string;
  /** Not public because a draft, or because its publication time is still to come. */
  hold?: "draft" | "scheduled";
  /** When it retracts itself (RFC 3339). */
  expires?: string;
  /** It left because `expires` passed (the record is kept). */
  expired?: boolean;
  /** SHA-256 of the article as stored (see articleDigest): what a sync compares. */
  digest?: string;
}

export function statusOf(entry: CatalogEntry): ArticleStatus {
  if (entry.hold) return entry.hold;
  if (entry.deleted) return entry.expired ? "expired" : "deleted";
  return "live";
}

/** Whether the article was ever in a public document (and so has an archive place). */
export const wasPublic = (entry: CatalogEntry): boolean => entry.seq > 0;

export function catalogEntryOf(record: StoredArticle, digest?: string): CatalogEntry {
  return {
    slug: record.slug,
    title: record.article.title,
    seq: record.seq,
    published: record.article.published,
    updated: record.updated,
    language: record.article.language,
    categories: record.article.categories.map(({ slug, label }) => ({ slug, label })),
    authors: record.article.authors.map(({ slug, name }) => ({ slug, name })),
    ...(record.article.expires ? { expires: record.article.expires } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** Newest first by publication time; slug breaks ties so the order is total. */
export function byNewest(a: CatalogEntry, b: CatalogEntry): number {
  return (
    toEpochMs(b.published) - toEpochMs(a.published) ||
    (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)
  );
}

export function inScope(entry: CatalogEntry, scope: FeedScope): boolean {
  switch (scope.kind) {
    case "site":
      return true;
    case "category":
      return entry.categories.some((c) => c.slug === scope.slug);
    case "author":
      return entry.authors.some((a) => a.slug === scope.slug);
  }
}

/** The live entries of a scope, newest first, at most `limit`. */
export function selectLive(
  entries: Iterable<CatalogEntry>,
  scope: FeedScope,
  limit: number,
): CatalogEntry[] {
  const live = [...entries].filter((e) => statusOf(e) === "live" && inScope(e, scope));
  return live.sort(byNewest).slice(0, limit);
}

/** Entries of a scope that left public documents, still within the retention period at `nowMs`, newest first. */
export function selectTombstones(
  entries: Iterable<CatalogEntry>,
  scope: FeedScope,
  retentionDays: number,
  nowMs: number,
): CatalogEntry[] {
  const cutoff = nowMs - retentionDays * 86_400_000;
  return [...entries]
    .filter((e) => e.deleted && wasPublic(e) && toEpochMs(e.deleted) >= cutoff && inScope(e, scope))
    .sort(
      (a, b) =>
        toEpochMs(b.deleted as string) - toEpochMs(a.deleted as string) ||
        (a.slug < b.slug ? -1 : 1),
    );
}

/** A scope's display name, from whichever entry names it. */
export function scopeLabel(entries: Iterable<CatalogEntry>, scope: FeedScope): string | undefined {
  if (scope.kind === "site") return undefined;
  for (const e of entries) {
    const found =
      scope.kind === "category"
        ? e.categories.find((c) => c.slug === scope.slug)?.label
        : e.authors.find((a) => a.slug === scope.slug)?.name;
    if (found) return found;
  }
  return undefined;
}
