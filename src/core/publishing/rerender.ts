/**
 * Re-rendering everything after a configuration or renderer change, in bounded batches:
 * every target (the site, its search documents and partner feeds, each category and author, each
 * archive page, each child sitemap, each article page) exactly once, in an order a cursor can resume from. The writer runs one batch
 * per alarm, so no invocation exceeds its KV budget whatever the archive holds, and an
 * interrupted re-render continues where it stopped. Reads keep healing stale documents
 * on demand meanwhile.
 */
import type { FeedScope } from "../urls.ts";
import { documentCount } from "./kinds.ts";
import type { Target } from "./targets.ts";

export type RerenderCursor =
  | { phase: "site" }
  | { phase: "scopes"; after?: { kind: "category" | "author"; slug: string } }
  | { phase: "archive"; after: number }
  | { phase: "sitemaps"; after: number }
  | { phase: "articles"; after: string };

export const RERENDER_START: RerenderCursor = { phase: "site" };

/** What a re-render walks: keyset pages of the catalogue. */
export interface RerenderSource {
  /** Categories and authors after `after`, ordered by (kind, slug). */
  scopesAfter(
    after: { kind: "category" | "author"; slug: string } | undefined,
    limit: number,
  ): Extract<FeedScope, { kind: "category" | "author" }>[];
  openPage(): number;
  /** How many child sitemaps there are (the last may be partly filled). */
  sitemapPages(): number;
  /** Ids of the enabled partner feeds. */
  partners(): string[];
  /** Slugs of every article (live or deleted) after `after`, in slug order. */
  slugsAfter(after: string, limit: number): string[];
}

export interface RerenderBatch {
  targets: Target[];
  /** Where the next batch starts; undefined when this is the last. */
  next: RerenderCursor | undefined;
}

/** The next batch of at most `budget` documents (at least one target). */
export function nextRerenderBatch(
  cursor: RerenderCursor,
  source: RerenderSource,
  budget: number,
): RerenderBatch {
  const perBatch = (t: Target) => Math.max(1, Math.floor(budget / documentCount(t)));
  switch (cursor.phase) {
    case "site":
      return {
        targets: [
          { kind: "scope", scope: { kind: "site" } },
          { kind: "search" },
          { kind: "directory" },
          ...source.partners().map((id) => ({ kind: "partner", id }) as const),
        ],
        next: { phase: "scopes" },
      };
    case "scopes": {
      const limit = perBatch({ kind: "scope", scope: { kind: "category", slug: "x" } });
      const scopes = source.scopesAfter(cursor.after, limit);
      const last = scopes[scopes.length - 1];
      return {
        targets: scopes.map((scope) => ({ kind: "scope", scope })),
        next:
          scopes.length === limit && last
            ? { phase: "scopes", after: { kind: last.kind, slug: last.slug } }
            : { phase: "archive", after: 0 },
      };
    }
    case "archive": {
      const limit = perBatch({ kind: "archive", page: 1 });
      const open = source.openPage();
      const first = cursor.after + 1;
      const last = Math.min(open, cursor.after + limit);
      const targets: Target[] = [];
      for (let page = first; page <= last; page++) targets.push({ kind: "archive", page });
      return {
        targets,
        next: last < open ? { phase: "archive", after: last } : { phase: "sitemaps", after: 0 },
      };
    }
    case "sitemaps": {
      const limit = perBatch({ kind: "sitemap", page: 1 });
      const count = source.sitemapPages();
      const last = Math.min(count, cursor.after + limit);
      const targets: Target[] = [];
      for (let page = cursor.after + 1; page <= last; page++)
        targets.push({ kind: "sitemap", page });
      return {
        targets,
        next: last < count ? { phase: "sitemaps", after: last } : { phase: "articles", after: "" },
      };
    }
    case "articles": {
      const limit = perBatch({ kind: "article", slug: "x" });
      const slugs = source.slugsAfter(cursor.after, limit);
      const last = slugs[slugs.length - 1];
      return {
        targets: slugs.map((slug) => ({ kind: "article", slug })),
        next: slugs.length === limit && last ? { phase: "articles", after: last } : undefined,
      };
    }
  }
}
