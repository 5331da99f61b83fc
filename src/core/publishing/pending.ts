/** What changes since the last commit have queued: the writes, and the targets they dirty. */
import type { CatalogEntry } from "../catalog.ts";
import type { StoredArticle } from "../stored-article.ts";
import { DirtySet } from "./targets.ts";

export class PendingChanges {
  /** Records to put, or (null) to delete. */
  readonly records = new Map<string, StoredArticle | null>();
  readonly entries = new Map<string, CatalogEntry>();
  readonly dirty = new DirtySet();
}
