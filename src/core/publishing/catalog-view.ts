/**
 * What the writer asks of the catalogue. Every question is answered from an index in
 * the Durable Object's SQLite storage (src/worker/store/catalog-sql.ts); `MemoryCatalog`
 * answers the same questions from a plain list with the reference functions of
 * ../catalog.ts, for pure tests and as the oracle the SQL catalogue is tested against.
 * Calls are synchronous because Durable Object SQL is.
 */
import {
  type ArticleStatus,
  byNewest,
  type CatalogEntry,
  inScope,
  scopeLabel,
  selectLive,
  selectTombstones,
  statusOf,
  wasPublic,
} from "../catalog.ts";
import { toEpochMs } from "../dates.ts";
import type { FeedScope } from "../urls.ts";

/** Where an admin list page starts: after this entry in newest-first order. */
export interface ListCursor {
  published: string;
  slug: string;
}

/** A category or an author, by kind and slug. */
export type ScopeName = Extract<FeedScope, { kind: "category" | "author" }>;

export interface CatalogView {
  entry(slug: string): CatalogEntry | undefined;
  /** Highest sequence number ever given (0 before the first article). */
  maxSeq(): number;
  liveCount(): number;
  /** Live entries of a scope, newest first, at most `limit`. */
  newest(scope: FeedScope, limit: number): CatalogEntry[];
  /** Live entries of the site published at or after `sinceMs`, newest first, at most `limit`. */
  publishedSince(sinceMs: number, limit: number): CatalogEntry[];
  /** Live entries numbered into archive page `page`, newest first. */
  archivePage(page: number, pageSize: number): CatalogEntry[];
  /** The pages of `pageSize` sequence numbers that hold at least one live entry, ascending. */
  pagesWithLive(pageSize: number): number[];
  /** Deleted entries of a scope deleted at or after `sinceMs`, most recently deleted first. */
  tombstones(scope: FeedScope, sinceMs: number): CatalogEntry[];
  /** A scope's display name: from its newest member; undefined if it has none. */
  label(scope: FeedScope): string | undefined;
  /** Categories and authors with any member (live or a tombstone) after `after`, by (kind, slug). */
  scopesAfter(after: ScopeName | undefined, limit: number): ScopeName[];
  /** Entries of one status newest first, after `cursor` (or skipping `offset`), at most `limit`. */
  list(page: ListPage): CatalogEntry[];
  count(status: ArticleStatus): number;
  /** Entries whose status the passing of time changes by `nowMs`: scheduled now due, live now expired. */
  due(nowMs: number, limit: number): CatalogEntry[];
  /** When the next such change is due (epoch ms), if any. */
  nextDueMs(): number | undefined;
}

export interface ListPage {
  status: ArticleStatus;
  cursor?: ListCursor;
  offset?: number;
  limit: number;
}

/** The catalogue as a plain list: the reference implementation. */
export class MemoryCatalog implements CatalogView {
  private readonly entries = new Map<string, CatalogEntry>();
  private highest = 0;

  constructor(entries: Iterable<CatalogEntry> = []) {
    for (const e of entries) this.put(e);
  }

  put(entry: CatalogEntry): void {
    this.entries.set(entry.slug, entry);
    this.highest = Math.max(this.highest, entry.seq);
  }

  entry(slug: string): CatalogEntry | undefined {
    return this.entries.get(slug);
  }

  maxSeq(): number {
    return this.highest;
  }

  liveCount(): number {
    return this.count("live");
  }

  newest(scope: FeedScope, limit: number): CatalogEntry[] {
    return selectLive(this.entries.values(), scope, limit);
  }

  publishedSince(sinceMs: number, limit: number): CatalogEntry[] {
    return selectLive(this.entries.values(), { kind: "site" }, Number.POSITIVE_INFINITY)
      .filter((e) => toEpochMs(e.published) >= sinceMs)
      .slice(0, limit);
  }

  archivePage(page: number, pageSize: number): CatalogEntry[] {
    const low = (page - 1) * pageSize;
    return [...this.entries.values()]
      .filter((e) => statusOf(e) === "live" && e.seq > low && e.seq <= low + pageSize)
      .sort(byNewest);
  }

  pagesWithLive(pageSize: number): number[] {
    const pages = new Set<number>();
    for (const e of this.entries.values())
      if (statusOf(e) === "live" && e.seq > 0) pages.add(Math.ceil(e.seq / pageSize));
    return [...pages].sort((a, b) => a - b);
  }

  tombstones(scope: FeedScope, sinceMs: number): CatalogEntry[] {
    // selectTombstones takes a retention in days back from now: express `sinceMs` so.
    return selectTombstones(this.entries.values(), scope, 0, sinceMs);
  }

  label(scope: FeedScope): string | undefined {
    if (scope.kind === "site") return undefined;
    // Only articles that were ever public name a scope.
    const members = [...this.entries.values()]
      .filter((e) => wasPublic(e) && inScope(e, scope))
      .sort(byNewest);
    return scopeLabel(members, scope);
  }

  scopesAfter(after: ScopeName | undefined, limit: number): ScopeName[] {
    const names = new Map<string, ScopeName>();
    for (const e of this.entries.values()) {
      if (!wasPublic(e)) continue;
      for (const c of e.categories)
        names.set(`category\u0000${c.slug}`, { kind: "category", slug: c.slug });
      for (const a of e.authors)
        names.set(`author\u0000${a.slug}`, { kind: "author", slug: a.slug });
    }
    const key = (n: ScopeName) => `${n.kind}\u0000${n.slug}`;
    const from = after ? key(after) : "";
    return [...names.entries()]
      .filter(([k]) => k > from)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([, n]) => n);
  }

  list(page: ListPage): CatalogEntry[] {
    const all = [...this.entries.values()]
      .filter((e) => statusOf(e) === page.status)
      .sort(byNewest);
    const { cursor } = page;
    const start = cursor
      ? all.findIndex(
          (e) =>
            toEpochMs(e.published) < toEpochMs(cursor.published) ||
            (toEpochMs(e.published) === toEpochMs(cursor.published) && e.slug > cursor.slug),
        )
      : (page.offset ?? 0);
    return start < 0 ? [] : all.slice(start, start + page.limit);
  }

  count(status: ArticleStatus): number {
    return [...this.entries.values()].filter((e) => statusOf(e) === status).length;
  }

  private dueAt(e: CatalogEntry): number | undefined {
    const status = statusOf(e);
    if (status === "scheduled") return toEpochMs(e.published);
    if (status === "live" && e.expires) return toEpochMs(e.expires);
    return undefined;
  }

  due(nowMs: number, limit: number): CatalogEntry[] {
    return [...this.entries.values()]
      .filter((e) => (this.dueAt(e) ?? Number.POSITIVE_INFINITY) <= nowMs)
      .sort(
        (a, b) =>
          (this.dueAt(a) as number) - (this.dueAt(b) as number) || (a.slug < b.slug ? -1 : 1),
      )
      .slice(0, limit);
  }

  nextDueMs(): number | undefined {
    const times = [...this.entries.values()].flatMap((e) => {
      const t = this.dueAt(e);
      return t === undefined ? [] : [t];
    });
    return times.length > 0 ? Math.min(...times) : undefined;
  }
}
