/**
 * The catalogue: one small entry per article, kept by the single writer, from which it
 * decides what each feed holds. Entries outlive deletion (as tombstones) so ids, archive
 * positions and retractions stay stable.
 */

import { toEpochMs } from "./dates.ts";
import type { StoredArticle } from "./stored-article.ts";
import type { FeedScope } from "./urls.ts";

export interface CatalogEntry {
  slug: string;
  seq: number;
  published: string;
  updated: string;
  language: string;
  categories: { slug: string; label: string }[];
  authors: { slug: string; name: string }[];
  /** When it was deleted (RFC 3339), if it was. */
  deleted?: string;
  /** SHA-256 of the article as stored (see articleDigest): what a sync compares. */
  digest?: string;
}

export function catalogEntryOf(record: StoredArticle, digest?: string): CatalogEntry {
  return {
    slug: record.slug,
    seq: record.seq,
    published: record.article.published,
    updated: record.updated,
    language: record.article.language,
    categories: record.article.categories.map(({ slug, label }) => ({ slug, label })),
    authors: record.article.authors.map(({ slug, name }) => ({ slug, name })),
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
  const live = [...entries].filter((e) => !e.deleted && inScope(e, scope));
  return live.sort(byNewest).slice(0, limit);
}

/** Deleted entries of a scope still within the retention period at `nowMs`, newest first. */
export function selectTombstones(
  entries: Iterable<CatalogEntry>,
  scope: FeedScope,
  retentionDays: number,
  nowMs: number,
): CatalogEntry[] {
  const cutoff = nowMs - retentionDays * 86_400_000;
  return [...entries]
    .filter((e) => e.deleted && toEpochMs(e.deleted) >= cutoff && inScope(e, scope))
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
