/**
 * The table of document kinds: for each kind of render target, which targets a change
 * to an article makes dirty, which target owns a public path, and how a target is
 * planned (which articles it shows) and rendered. The writer knows nothing else about
 * documents: adding a kind is one entry here, its Target variant (targets.ts) and its
 * path (../urls.ts).
 */
import { type CatalogEntry, wasPublic } from "../catalog.ts";
import {
  type RenderedDoc,
  renderArchivePage,
  renderArchiveView,
  renderArticleDoc,
  renderGoneDoc,
  renderHomeDoc,
  renderScopeFeeds,
  renderScopeView,
} from "../documents.ts";
import { type ArchiveLayout, openPage, pageOfSeq } from "../feeds/archive.ts";
import { type FeedEntry, publicEntry } from "../feeds/feed-document.ts";
import { renderPartnerFeed } from "../partners/partner-feed.ts";
import { renderScopeDirectory } from "../scope-directory.ts";
import type { SiteConfig } from "../site.ts";
import {
  NEWS_SITEMAP_MAX,
  NEWS_WINDOW_MS,
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderSitemapPage,
  SITEMAP_PAGE_SIZE,
  sitemapPageOf,
} from "../sitemaps.ts";
import type { StoredArticle } from "../stored-article.ts";
import { absolute, articlePath, type PublicDoc, SITE } from "../urls.ts";
import type { CatalogView } from "./catalog-view.ts";
import { fitToBudget } from "./limits.ts";
import type { Target } from "./targets.ts";

/** An article ready to render: its record and its feed entry (rendered body). */
export interface Prepared {
  record: StoredArticle;
  entry: FeedEntry;
}

export interface KindContext {
  site: SiteConfig;
  /** Largest feed document in bytes (FEED_MAX_BYTES). */
  feedMaxBytes: number;
  nowMs: number;
}

/** One target, planned: the records it needs, and how to render it once they are read. */
export interface RenderJob {
  target: Target;
  slugs: string[];
  /** `prepared` holds the readable ones among `slugs`; the rest are left out. */
  render(prepared: ReadonlyMap<string, Prepared>): RenderedDoc[];
}

interface DocumentKind<T extends Target> {
  /** Targets of this kind that a change to `entry` (either version) makes dirty. */
  dirtiedBy(entry: CatalogEntry, site: SiteConfig): T[];
  /** The target that renders this public document, if this kind owns it. */
  targetOf(doc: PublicDoc): T | undefined;
  /** Whether anything lives there: an on-demand render of a target that does not is a 404. */
  exists(target: T, catalog: CatalogView, site: SiteConfig): boolean;
  /** How many documents a render of the target writes (a commit's KV budget counts them). */
  documentCount(target: T): number;
  /** The render job of a target (rendered even if it no longer exists: it empties). */
  plan(target: T, catalog: CatalogView, ctx: KindContext): RenderJob | undefined;
}

const layoutOf = (catalog: CatalogView, site: SiteConfig): ArchiveLayout => ({
  pageSize: site.archivePageSize,
  maxSeq: catalog.maxSeq(),
});

/** The entries public documents show (summaries only where PUBLIC_CONTENT says so). */
const entriesOf = (
  site: SiteConfig,
  live: CatalogEntry[],
  prepared: ReadonlyMap<string, Prepared>,
): FeedEntry[] =>
  live.flatMap((e) => {
    const p = prepared.get(e.slug);
    return p ? [publicEntry(site, p.entry)] : [];
  });

type ScopeTarget = Extract<Target, { kind: "scope" }>;
type ArchiveTarget = Extract<Target, { kind: "archive" }>;
type ArticleTarget = Extract<Target, { kind: "article" }>;
type SearchTarget = Extract<Target, { kind: "search" }>;
type SitemapTarget = Extract<Target, { kind: "sitemap" }>;
type PartnerTarget = Extract<Target, { kind: "partner" }>;
type DirectoryTarget = Extract<Target, { kind: "directory" }>;

/**
 * A scope's three feeds and their browser view (`feed.html`, what a browser gets at the
 * feed URLs); the site's also gives the home page.
 */
const scopeFeeds: DocumentKind<ScopeTarget> = {
  dirtiedBy: (entry) => [
    { kind: "scope", scope: SITE },
    ...entry.categories.map(
      (c) => ({ kind: "scope", scope: { kind: "category", slug: c.slug } }) as const,
    ),
    ...entry.authors.map(
      (a) => ({ kind: "scope", scope: { kind: "author", slug: a.slug } }) as const,
    ),
  ],
  targetOf: (doc) =>
    doc.kind === "feed" || doc.kind === "view"
      ? { kind: "scope", scope: doc.scope }
      : doc.kind === "home"
        ? { kind: "scope", scope: SITE }
        : undefined,
  // A category or author nobody is filed under (live or as a tombstone) does not exist.
  exists: ({ scope }, catalog) => scope.kind === "site" || catalog.label(scope) !== undefined,
  documentCount: ({ scope }) => (scope.kind === "site" ? 5 : 4),
  plan(target, catalog, { site, feedMaxBytes, nowMs }) {
    const { scope } = target;
    // Undefined once the last member has left: the feed is rendered empty, titled by slug.
    const label = catalog.label(scope);
    const live = catalog.newest(scope, site.feedSize);
    const tombstones = catalog
      .tombstones(scope, nowMs - site.tombstoneDays * 86_400_000)
      .map((e) => ({ id: absolute(site, articlePath(e.slug)), when: e.deleted as string }));
    const archive = scope.kind === "site" ? layoutOf(catalog, site) : undefined;
    return {
      target,
      slugs: live.map((e) => e.slug),
      render(prepared) {
        const entries = entriesOf(site, live, prepared);
        // The view lists what the feeds hold: it is rendered with them, inside the budget.
        const feeds = fitToBudget(entries, feedMaxBytes, (some) => [
          ...renderScopeFeeds(site, scope, label, some, tombstones, archive),
          renderScopeView(site, scope, label, some, tombstones),
        ]);
        return scope.kind === "site" ? [...feeds, renderHomeDoc(site, entries)] : feeds;
      },
    };
  },
};

/**
 * An archive page of the site feed, in three formats (fixed boundaries, RFC 5005), and
 * its browser view.
 */
const archivePages: DocumentKind<ArchiveTarget> = {
  dirtiedBy(entry, site) {
    const page = pageOfSeq(entry.seq, site.archivePageSize);
    // The article that completes a page opens the next one: render it so links resolve.
    return entry.seq % site.archivePageSize === 0
      ? [
          { kind: "archive", page },
          { kind: "archive", page: page + 1 },
        ]
      : [{ kind: "archive", page }];
  },
  targetOf: (doc) =>
    doc.kind === "archive" || doc.kind === "archive-view"
      ? { kind: "archive", page: doc.page }
      : undefined,
  exists: ({ page }, catalog, site) => page <= openPage(layoutOf(catalog, site)),
  documentCount: () => 4,
  plan(target, catalog, { site }) {
    const layout = layoutOf(catalog, site);
    if (target.page > openPage(layout)) return undefined;
    const live = catalog.archivePage(target.page, layout.pageSize);
    return {
      target,
      slugs: live.map((e) => e.slug),
      render(prepared) {
        const entries = entriesOf(site, live, prepared);
        return [
          ...renderArchivePage(site, target.page, layout, entries),
          renderArchiveView(site, target.page, layout, entries),
        ];
      },
    };
  },
};

/** An article's page, or the 410 page of a deleted one. */
const articlePages: DocumentKind<ArticleTarget> = {
  dirtiedBy: (entry) => [{ kind: "article", slug: entry.slug }],
  targetOf: (doc) => (doc.kind === "article" ? { kind: "article", slug: doc.slug } : undefined),
  exists: ({ slug }, catalog) => {
    const entry = catalog.entry(slug);
    return entry !== undefined && wasPublic(entry);
  },
  documentCount: () => 1,
  plan(target, catalog, { site }) {
    const entry = catalog.entry(target.slug);
    if (!entry) return undefined;
    const { deleted } = entry;
    if (deleted)
      return { target, slugs: [], render: () => [renderGoneDoc(site, entry.slug, deleted)] };
    return {
      target,
      slugs: [entry.slug],
      render(prepared) {
        const p = prepared.get(entry.slug);
        return p ? [renderArticleDoc(site, p.record, publicEntry(site, p.entry))] : [];
      },
    };
  },
};

/**
 * For search engines: the sitemap index, the Google News sitemap (the newest live
 * articles of the last two days) and robots.txt. Every public change can change the
 * first two; robots.txt only changes with the configuration, but is tiny.
 */
const searchDocs: DocumentKind<SearchTarget> = {
  dirtiedBy: () => [{ kind: "search" }],
  targetOf: (doc) =>
    doc.kind === "robots" || doc.kind === "sitemap-index" || doc.kind === "news-sitemap"
      ? { kind: "search" }
      : undefined,
  exists: () => true,
  documentCount: () => 3,
  plan(target, catalog, { site, nowMs }) {
    const pages = catalog.pagesWithLive(SITEMAP_PAGE_SIZE);
    // Only the last two days are read: a publish parses a day's articles, not 1,000.
    const recent = catalog.publishedSince(nowMs - NEWS_WINDOW_MS, NEWS_SITEMAP_MAX);
    return {
      target,
      slugs: [],
      render: () => [
        renderSitemapIndex(site, pages),
        renderNewsSitemap(site, recent, nowMs),
        renderRobots(site),
      ],
    };
  },
};

/** A child sitemap: the live articles numbered into it (fixed boundaries, like archive pages). */
const sitemapPages: DocumentKind<SitemapTarget> = {
  dirtiedBy: (entry) => [{ kind: "sitemap", page: sitemapPageOf(entry.seq) }],
  targetOf: (doc) => (doc.kind === "sitemap" ? { kind: "sitemap", page: doc.page } : undefined),
  exists: ({ page }, catalog) => page <= sitemapPageOf(catalog.maxSeq()),
  documentCount: () => 1,
  plan(target, catalog, { site }) {
    const live = catalog.archivePage(target.page, SITEMAP_PAGE_SIZE);
    return { target, slugs: [], render: () => [renderSitemapPage(site, target.page, live)] };
  },
};

/** A partner's own feed: the newest articles its rules admit, always in full text. */
const partnerFeeds: DocumentKind<PartnerTarget> = {
  dirtiedBy: (_entry, site) =>
    site.partners.profiles.map((p) => ({ kind: "partner", id: p.id }) as const),
  targetOf: (doc) => (doc.kind === "partner" ? { kind: "partner", id: doc.id } : undefined),
  exists: ({ id }, _catalog, site) => site.partners.profiles.some((p) => p.id === id),
  documentCount: () => 1,
  plan(target, catalog, { site, nowMs }) {
    const profile = site.partners.profiles.find((p) => p.id === target.id);
    if (!profile) return undefined;
    // More than it takes, so that articles its rules leave out leave room for others.
    const live = catalog.newest(SITE, Math.min(profile.maxItems * 2 + 10, 500));
    const retracted =
      profile.takedown === "msn-expiry"
        ? catalog.tombstones(SITE, nowMs - site.tombstoneDays * 86_400_000)
        : [];
    return {
      target,
      slugs: live.map((e) => e.slug),
      render: (prepared) => [
        renderPartnerFeed(
          site,
          profile,
          live.flatMap((e) => prepared.get(e.slug) ?? []),
          retracted,
          nowMs,
        ),
      ],
    };
  },
};

/**
 * The scope directory (../scope-directory.ts): which categories and authors exist, for
 * the read path. Every public change can add a scope or an article number; it is small
 * (a slug per category and author). Never rendered on demand: no public path names it.
 */
const scopeDirectory: DocumentKind<DirectoryTarget> = {
  dirtiedBy: () => [{ kind: "directory" }],
  targetOf: () => undefined,
  exists: () => true,
  documentCount: () => 1,
  plan: (target, catalog, { nowMs }) => ({
    target,
    slugs: [],
    render: () => [renderScopeDirectory(catalog, new Date(nowMs).toISOString())],
  }),
};

const KINDS = {
  directory: scopeDirectory,
  partner: partnerFeeds,
  scope: scopeFeeds,
  archive: archivePages,
  article: articlePages,
  search: searchDocs,
  sitemap: sitemapPages,
} satisfies { [K in Target["kind"]]: DocumentKind<Extract<Target, { kind: K }>> };

const ALL_KINDS: DocumentKind<Target>[] = Object.values(KINDS) as DocumentKind<Target>[];

/** Every target a change from `before` to `after` makes dirty (both versions count). */
export function targetsDirtiedBy(
  site: SiteConfig,
  ...versions: (CatalogEntry | undefined)[]
): Target[] {
  // A version that was never public (a draft, a story not yet due) is in no document.
  return versions.flatMap((entry) =>
    entry && wasPublic(entry) ? ALL_KINDS.flatMap((kind) => kind.dirtiedBy(entry, site)) : [],
  );
}

/** The target that renders a public document. */
export function targetOfDoc(doc: PublicDoc): Target | undefined {
  for (const kind of ALL_KINDS) {
    const target = kind.targetOf(doc);
    if (target) return target;
  }
  return undefined;
}

export function targetExists(target: Target, catalog: CatalogView, site: SiteConfig): boolean {
  return (KINDS[target.kind] as DocumentKind<Target>).exists(target, catalog, site);
}

export function documentCount(target: Target): number {
  return (KINDS[target.kind] as DocumentKind<Target>).documentCount(target);
}

export function planTarget(
  target: Target,
  catalog: CatalogView,
  ctx: KindContext,
): RenderJob | undefined {
  return (KINDS[target.kind] as DocumentKind<Target>).plan(target, catalog, ctx);
}
