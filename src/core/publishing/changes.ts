/**
 * The rules of a change: what a publish or a delete does to an article's record and
 * catalogue entry. Plain data in, plain data out; the writer stores the result.
 */
import type { Article } from "../article.ts";
import { type CatalogEntry, catalogEntryOf } from "../catalog.ts";
import { SCHEMA_VERSION, type StoredArticle } from "../stored-article.ts";
import { canonicalJson } from "./canonical.ts";

export type PublishStatus = "created" | "updated" | "unchanged";

export interface PublishInput {
  slug: string;
  article: Article;
  /** The catalogue entry before this change (live or deleted), if any. */
  before: CatalogEntry | undefined;
  /** The live record before this change, if any. */
  previous: StoredArticle | undefined;
  /** The sequence number a new article gets. */
  nextSeq: number;
  nowIso: string;
  /** The article's digest (see articleDigest), kept in its catalogue entry. */
  digest?: string;
}

export type PublishOutcome =
  | { status: "unchanged"; record: StoredArticle }
  | { status: "created" | "updated"; record: StoredArticle; entry: CatalogEntry };

export function applyPublish(input: PublishInput): PublishOutcome {
  const { slug, article, before, previous, nowIso } = input;
  if (previous && canonicalJson(previous.article) === canonicalJson(article)) {
    return { status: "unchanged", record: previous };
  }
  const record: StoredArticle = {
    schemaVersion: SCHEMA_VERSION,
    slug,
    article,
    // A new article's first version is dated by the article itself, so that loading the
    // same content/ on any day gives the same feed bytes; edits are dated now.
    created: previous?.created ?? nowIso,
    updated: before ? nowIso : article.published,
    // An article keeps its number (and so its archive page) across edits and deletion.
    seq: before?.seq ?? input.nextSeq,
  };
  const live = before !== undefined && !before.deleted;
  return {
    status: live ? "updated" : "created",
    record,
    entry: catalogEntryOf(record, input.digest),
  };
}

/** A delete: the entry stays as a tombstone; undefined if there is nothing live to delete. */
export function applyRemove(
  before: CatalogEntry | undefined,
  nowIso: string,
): CatalogEntry | undefined {
  if (!before || before.deleted) return undefined;
  return { ...before, deleted: nowIso };
}
