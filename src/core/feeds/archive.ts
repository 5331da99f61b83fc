/**
 * Paging and archives (RFC 5005), with fixed boundaries.
 *
 * Every article gets a sequence number when it is first published. Archive page k holds
 * the articles numbered (k-1)·P+1 … k·P (P = ARCHIVE_PAGE_SIZE), newest first. Pages
 * 1 … F, where F = ⌊highest number / P⌋, are complete: they are `fh:archive` documents
 * whose bytes never change when more articles are published (only when one of their own
 * articles is edited or deleted). Page F+1 is the open page, still filling.
 *
 * Links: the subscription feed (`/feed.xml`) says `next` → the open page and
 * `prev-archive` → page F. Page k says `next`/`prev-archive` → k-1 (older),
 * `previous`/`next-archive` → k+1 (newer; the open page's `previous` is the
 * subscription feed), `current`/`first` → the subscription feed, `last` → page 1.
 * A complete page's links depend only on k, so they are fixed too. Walking `next` from
 * the subscription feed visits every article exactly once across the archive pages.
 * JSON Feed has only `next_url`, which follows `next`.
 */
import type { SiteConfig } from "../site.ts";
import { absolute, archivePath, FEED_FORMATS, type FeedFormat, feedPath } from "../urls.ts";
import type { FeedDocument, PagingRelation } from "./feed-document.ts";

export interface ArchiveLayout {
  pageSize: number;
  /** Highest sequence number ever given (0 before the first article). */
  maxSeq: number;
}

export const completePages = (layout: ArchiveLayout): number =>
  Math.floor(layout.maxSeq / layout.pageSize);
export const openPage = (layout: ArchiveLayout): number => completePages(layout) + 1;
export const pageOfSeq = (seq: number, pageSize: number): number => Math.ceil(seq / pageSize);

export function seqInPage(seq: number, page: number, pageSize: number): boolean {
  return seq > (page - 1) * pageSize && seq <= page * pageSize;
}

type Links = FeedDocument["links"];

function each(site: SiteConfig, path: (format: FeedFormat) => string): Record<FeedFormat, string> {
  return Object.fromEntries(FEED_FORMATS.map((f) => [f, absolute(site, path(f))])) as Record<
    FeedFormat,
    string
  >;
}

const subscription = (site: SiteConfig) => each(site, (f) => feedPath({ kind: "site" }, f));
const page = (site: SiteConfig, k: number) => each(site, (f) => archivePath(k, f));

/** RFC 5005 links of the site's subscription feed. */
export function subscriptionLinks(site: SiteConfig, layout: ArchiveLayout): Links {
  const f = completePages(layout);
  const links: Partial<Record<PagingRelation, Record<FeedFormat, string>>> = {
    first: subscription(site),
    next: page(site, openPage(layout)),
    last: page(site, 1),
  };
  if (f >= 1) links["prev-archive"] = page(site, f);
  return links;
}

/** RFC 5005 links of archive page `k`. */
export function archiveLinks(site: SiteConfig, k: number, layout: ArchiveLayout): Links {
  const links: Partial<Record<PagingRelation, Record<FeedFormat, string>>> = {
    current: subscription(site),
    first: subscription(site),
    last: page(site, 1),
  };
  const open = openPage(layout);
  if (k > 1) {
    links.next = page(site, k - 1);
    links["prev-archive"] = page(site, k - 1);
  }
  if (k < open) {
    links.previous = page(site, k + 1);
    links["next-archive"] = page(site, k + 1);
  } else {
    links.previous = subscription(site);
  }
  return links;
}

/** The URLs of archive page `k` in each format. */
export const archiveSelf = page;
