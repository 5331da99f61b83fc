/**
 * Changes waiting for a commit, in arrival order. Each change (one publish, one delete,
 * one bulk batch, one on-demand render) is committed whole; a commit takes changes from
 * the head while their KV writes fit one invocation's budget, so a burst of changes never
 * makes a commit exceed Workers' 1,000 KV operations per invocation.
 */
import type { CatalogEntry } from "../catalog.ts";
import type { StoredArticle } from "../stored-article.ts";
import { DirtySet, type Target } from "./targets.ts";

export interface Change {
  /** Records to put, or (null) to delete. */
  readonly records: Map<string, StoredArticle | null>;
  readonly entries: Map<string, CatalogEntry>;
  readonly targets: Target[];
  /** Paths whose rendered body the caller wants back (an on-demand render). */
  wanted?: string[];
  /**
   * A bulk change: its shared documents (feeds, archive pages) are rendered by a
   * deferred rebuild that many bulk changes share, not by its own commit.
   */
  deferShared?: boolean;
  /** Set by the commit that took it: done, or the error that failed it. */
  outcome?: { ok: true } | { ok: false; error: unknown };
}

export function newChange(targets: Target[] = []): Change {
  return { records: new Map(), entries: new Map(), targets };
}

/** A commit's worth of changes, merged (a later version of an article wins). */
export interface Batch {
  changes: Change[];
  records: Map<string, StoredArticle | null>;
  entries: Map<string, CatalogEntry>;
  /** Targets this commit renders. */
  dirty: DirtySet;
  /** Shared targets of bulk changes, left to the deferred rebuild. */
  deferred: DirtySet;
  wanted: Set<string>;
}

const isShared = (t: Target) => t.kind !== "article";

export class ChangeQueue {
  private queued: Change[] = [];
  /** The batch being committed, until the catalogue holds it. */
  private inFlight: Change[] = [];

  push(change: Change): void {
    this.queued.push(change);
  }

  get size(): number {
    return this.queued.length;
  }

  /** The newest version of an entry among changes not yet in the catalogue. */
  entry(slug: string): CatalogEntry | undefined {
    return this.find((c) => c.entries.get(slug));
  }

  /** The newest version of a record (null: deleted) among changes not yet in the catalogue. */
  record(slug: string): StoredArticle | null | undefined {
    return this.find((c) => c.records.get(slug));
  }

  private find<T>(get: (c: Change) => T | undefined): T | undefined {
    for (const list of [this.queued, this.inFlight]) {
      for (let i = list.length - 1; i >= 0; i--) {
        const found = get(list[i] as Change);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  /**
   * Takes changes from the head while `cost` of the merged batch stays within `budget`;
   * always at least one, so a change larger than the budget still gets committed alone.
   */
  take(cost: (batch: Batch) => number, budget: number): Batch {
    const batch: Batch = {
      changes: [],
      records: new Map(),
      entries: new Map(),
      dirty: new DirtySet(),
      deferred: new DirtySet(),
      wanted: new Set(),
    };
    while (this.queued.length > 0) {
      const next = this.queued[0] as Change;
      const trial: Batch = {
        changes: [...batch.changes, next],
        records: new Map([...batch.records, ...next.records]),
        entries: new Map([...batch.entries, ...next.entries]),
        dirty: new DirtySet(),
        deferred: new DirtySet(),
        wanted: new Set([...batch.wanted, ...(next.wanted ?? [])]),
      };
      trial.dirty.merge(batch.dirty);
      trial.deferred.merge(batch.deferred);
      for (const t of next.targets) {
        if (next.deferShared && isShared(t)) trial.deferred.add(t);
        else trial.dirty.add(t);
      }
      if (batch.changes.length > 0 && cost(trial) > budget) break;
      this.queued.shift();
      Object.assign(batch, trial);
    }
    this.inFlight = batch.changes;
    return batch;
  }

  /** The batch taken last is in the catalogue (or failed): lookups stop seeing it. */
  settle(): void {
    this.inFlight = [];
  }
}
