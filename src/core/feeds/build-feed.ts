/** Assembles the FeedDocument of one scope from its entries, and renders all three formats. */
import { formatRfc3339, toEpochMs } from "../dates.ts";
import type { SiteConfig } from "../site.ts";
import { absolute, type FeedFormat, type FeedScope, feedPath } from "../urls.ts";
import {
  type ArchiveLayout,
  archiveLinks,
  archiveSelf,
  completePages,
  subscriptionLinks,
} from "./archive.ts";
import type { FeedDocument, FeedEntry, Tombstone } from "./feed-document.ts";
import { renderAtom } from "./render-atom.ts";
import { renderJsonFeed } from "./render-json-feed.ts";
import { renderRss } from "./render-rss.ts";

export const RENDERERS: Record<FeedFormat, (doc: FeedDocument) => string> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJsonFeed,
};

/** Before anything is published, feeds still need a date: the Unix epoch is stable. */
const NOTHING_YET = "1970-01-01T00:00:00Z";

/** The newest of the given RFC 3339 times. */
export function newest(times: string[]): string {
  let best = NOTHING_YET;
  for (const time of times) if (toEpochMs(time) > toEpochMs(best)) best = time;
  return formatRfc3339(best);
}

export interface ScopeFeedInput {
  site: SiteConfig;
  scope: FeedScope;
  /** Category label or author name; ignored for the site. */
  label?: string;
  entries: FeedEntry[];
  tombstones: Tombstone[];
  /** The site feed links its archive pages (category and author feeds have none). */
  archive?: ArchiveLayout;
}

export function buildScopeFeed(input: ScopeFeedInput): FeedDocument {
  const { site, scope } = input;
  const self = {
    rss: absolute(site, feedPath(scope, "rss")),
    atom: absolute(site, feedPath(scope, "atom")),
    json: absolute(site, feedPath(scope, "json")),
  };
  const title = scope.kind === "site" ? site.title : `${site.title} — ${input.label ?? scope.slug}`;
  return {
    site,
    title,
    description: site.description,
    language: site.language,
    homeUrl: `${site.url}/`,
    self,
    updated: newest([
      ...input.entries.map((e) => e.updated),
      ...input.tombstones.map((t) => t.when),
    ]),
    entries: input.entries,
    tombstones: input.tombstones,
    links: scope.kind === "site" && input.archive ? subscriptionLinks(site, input.archive) : {},
    archive: false,
  };
}

export interface ArchivePageInput {
  site: SiteConfig;
  page: number;
  layout: ArchiveLayout;
  /** The page's live entries, newest first. */
  entries: FeedEntry[];
}

/** Archive page `page` of the site feed (RFC 5005 §4 once complete). */
export function buildArchivePage(input: ArchivePageInput): FeedDocument {
  const { site, page, layout } = input;
  return {
    site,
    title: `${site.title} — ${page}`,
    description: site.description,
    language: site.language,
    homeUrl: `${site.url}/`,
    self: archiveSelf(site, page),
    updated: newest(input.entries.map((e) => e.updated)),
    entries: input.entries,
    tombstones: [],
    links: archiveLinks(site, page, layout),
    archive: page <= completePages(layout),
  };
}
