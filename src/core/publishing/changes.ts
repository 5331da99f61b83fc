/**
 * The rules of a change: what a publish, a delete or the passing of time does to an
 * article's record and catalogue entry. Plain data in, plain data out (the time is
 * passed in); the writer stores the result.
 *
 * Visibility: an article is public (`live`) unless it is a draft, its publication time
 * is still to come (`scheduled`), its `expires` time has passed (`expired`) or it was
 * deleted. An article gets its sequence number (its archive place) the first time it is
 * public, so a story held for a week does not change an archive page completed meanwhile.
 * Leaving the public documents after having been in them is a retraction: tombstone,
 * 410, and the entry keeps the time it left.
 */
import type { Article } from "../article.ts";
import { type CatalogEntry, catalogEntryOf, statusOf, wasPublic } from "../catalog.ts";
import { toEpochMs } from "../dates.ts";
import { SCHEMA_VERSION, type StoredArticle } from "../stored-article.ts";
import { canonicalJson } from "./canonical.ts";

export type PublishStatus = "created" | "updated" | "unchanged";

export interface PublishInput {
  slug: string;
  article: Article;
  /** The catalogue entry before this change (any status), if any. */
  before: CatalogEntry | undefined;
  /** The record before this change (any status but deleted), if any. */
  previous: StoredArticle | undefined;
  /** The sequence number an article gets when it is first public. */
  nextSeq: number;
  nowIso: string;
  /** The article's digest (see articleDigest), kept in its catalogue entry. */
  digest?: string;
}

export type PublishOutcome =
  | { status: "unchanged"; record: StoredArticle }
  | { status: "created" | "updated"; record: StoredArticle; entry: CatalogEntry };

/** Why an article is not public at `nowMs`, if it is not. */
function holdOf(article: Article, nowMs: number): Pick<CatalogEntry, "hold" | "expired"> {
  if (article.draft) return { hold: "draft" };
  if (toEpochMs(article.published) > nowMs) return { hold: "scheduled" };
  if (article.expires && toEpochMs(article.expires) <= nowMs) return { expired: true };
  return {};
}

/** The entry of `record` at `nowIso`, given the entry before (which fixes seq and tombstones). */
function entryAt(
  record: StoredArticle,
  before: CatalogEntry | undefined,
  nowIso: string,
  nextSeq: number,
  digest: string | undefined,
): CatalogEntry {
  const base = catalogEntryOf(record, digest);
  const hidden = holdOf(record.article, toEpochMs(nowIso));
  if (!hidden.hold && !hidden.expired) return { ...base, seq: before?.seq || nextSeq };
  const wasLive = before !== undefined && statusOf(before) === "live";
  // Leaving now is a retraction dated now (or at the expiry); an earlier one keeps its date.
  const left = wasLive
    ? hidden.expired
      ? (record.article.expires as string)
      : nowIso
    : before?.deleted;
  return { ...base, seq: before?.seq ?? 0, ...(left ? { deleted: left } : {}), ...hidden };
}

export function applyPublish(input: PublishInput): PublishOutcome {
  const { slug, article, before, previous, nowIso } = input;
  if (previous && canonicalJson(previous.article) === canonicalJson(article)) {
    return { status: "unchanged", record: previous };
  }
  const draftRecord: StoredArticle = {
    schemaVersion: SCHEMA_VERSION,
    slug,
    article,
    created: previous?.created ?? nowIso,
    // A first public version is dated by the article itself, so that loading the same
    // content/ on any day gives the same feed bytes; edits of a public article are dated now.
    updated: before && wasPublic(before) ? nowIso : article.published,
    seq: 0,
  };
  const entry = entryAt(draftRecord, before, nowIso, input.nextSeq, input.digest);
  const record = { ...draftRecord, seq: entry.seq };
  const existed = before !== undefined && statusOf(before) !== "deleted";
  return {
    status: existed ? "updated" : "created",
    record,
    entry: { ...entry, updated: record.updated },
  };
}

/**
 * What the passing of time does: a scheduled article whose time has come goes live
 * (taking the next sequence number if it was never public), a live one whose `expires`
 * has passed is retracted. Undefined when nothing is due. The record changes only in
 * its sequence number: its content and `updated` stay as the editor left them.
 */
export function applyDue(
  record: StoredArticle,
  before: CatalogEntry,
  nowIso: string,
  nextSeq: number,
): { record: StoredArticle; entry: CatalogEntry } | undefined {
  const entry = entryAt(record, before, nowIso, nextSeq, before.digest);
  if (statusOf(entry) === statusOf(before)) return undefined;
  return { record: { ...record, seq: entry.seq }, entry: { ...entry, updated: record.updated } };
}

/** A delete: the entry stays as a tombstone; undefined if there is nothing to delete. */
export function applyRemove(
  before: CatalogEntry | undefined,
  nowIso: string,
): CatalogEntry | undefined {
  if (!before || statusOf(before) === "deleted") return undefined;
  const { hold: _h, expired: _e, ...rest } = before;
  // An article retracted earlier (expired, withdrawn) keeps the time it left.
  return { ...rest, deleted: before.deleted ?? nowIso };
}
