/**
 * The path grammar: every public path the publisher serves is built and parsed here,
 * and nowhere else, so feeds, pages, links, routes, on-demand renders and the KV key
 * scheme agree. Paths are ASCII: slugs are ASCII by schema, and anything else is
 * percent-encoded, because raw Arabic letters in <link>/<guid> are validator errors.
 *
 * Parsing is strict: a path is public only if building its parsed form gives the same
 * string back, so `/archive/01/feed.xml`, upper-case slugs or over-long segments are not
 * documents (they answer 404 without reaching storage or the writer).
 */
import type { SiteConfig } from "./site.ts";

/** The feed formats, in the order documents list them. The one list of formats. */
export const FEED_FORMATS = ["rss", "atom", "json"] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_FILES: Record<FeedFormat, string> = {
  rss: "feed.xml",
  atom: "atom.xml",
  json: "feed.json",
};

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml",
  atom: "application/atom+xml",
  json: "application/feed+json",
};

/** Which feed: the whole site, one category or one author. */
export type FeedScope =
  | { kind: "site" }
  | { kind: "category"; slug: string }
  | { kind: "author"; slug: string };

/** A public document, as the path grammar names it. */
export type PublicDoc =
  | { kind: "home" }
  | { kind: "feed"; scope: FeedScope; format: FeedFormat }
  | { kind: "archive"; page: number; format: FeedFormat }
  | { kind: "article"; slug: string }
  | { kind: "robots" }
  | { kind: "sitemap-index" }
  | { kind: "sitemap"; page: number }
  | { kind: "news-sitemap" }
  /** A feed's browser view: the HTML page a browser gets at the feed's URLs (VIEW_FILE). */
  | { kind: "view"; scope: FeedScope }
  | { kind: "archive-view"; page: number }
  /** A partner's own RSS feed (partners/profiles.ts). */
  | { kind: "partner"; id: string };

/** The browser view of a scope's feeds or of an archive page, beside its feed files. */
export const VIEW_FILE = "feed.html";

export const ROBOTS_PATH = "/robots.txt";
export const SITEMAP_INDEX_PATH = "/sitemap.xml";
export const NEWS_SITEMAP_PATH = "/news-sitemap.xml";

export function partnerFeedPath(id: string): string {
  return `/partners/${encodeURIComponent(id)}/feed.xml`;
}

/** Child sitemap `page` of the index (1 = the oldest articles). */
export function sitemapPath(page: number): string {
  return `/sitemaps/${page}.xml`;
}

/** Slugs of articles, categories and authors (the article schema enforces the same). */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 100;
/** Archive page numbers beyond this are not documents (a billion pages of articles). */
const MAX_ARCHIVE_PAGE = 1_000_000_000;

export const SITE: FeedScope = { kind: "site" };

export const isSlug = (s: string): boolean => s.length <= SLUG_MAX && SLUG_PATTERN.test(s);

/** Folder a scope's feeds live under ("" for the site). */
export function scopePath(scope: FeedScope): string {
  switch (scope.kind) {
    case "site":
      return "";
    case "category":
      return `/categories/${encodeURIComponent(scope.slug)}`;
    case "author":
      return `/authors/${encodeURIComponent(scope.slug)}`;
  }
}

export function feedPath(scope: FeedScope, format: FeedFormat): string {
  return `${scopePath(scope)}/${FEED_FILES[format]}`;
}

/** Fixed-boundary archive page `n` (1 = oldest) of the site feed. */
export function archivePath(page: number, format: FeedFormat): string {
  return `/archive/${page}/${FEED_FILES[format]}`;
}

/** The browser view of a scope's feeds: `<scope folder>/feed.html`. */
export function viewPath(scope: FeedScope): string {
  return `${scopePath(scope)}/${VIEW_FILE}`;
}

/** The browser view of archive page `n`: `/archive/<n>/feed.html`. */
export function archiveViewPath(page: number): string {
  return `/archive/${page}/${VIEW_FILE}`;
}

/** The browser view of a feed document (any format), or undefined if `doc` is not a feed. */
export function viewOf(doc: PublicDoc): PublicDoc | undefined {
  if (doc.kind === "feed") return { kind: "view", scope: doc.scope };
  if (doc.kind === "archive") return { kind: "archive-view", page: doc.page };
  return undefined;
}

export function articlePath(slug: string): string {
  return `/articles/${encodeURIComponent(slug)}`;
}

export function pathOf(doc: PublicDoc): string {
  switch (doc.kind) {
    case "home":
      return "/";
    case "feed":
      return feedPath(doc.scope, doc.format);
    case "archive":
      return archivePath(doc.page, doc.format);
    case "article":
      return articlePath(doc.slug);
    case "robots":
      return ROBOTS_PATH;
    case "sitemap-index":
      return SITEMAP_INDEX_PATH;
    case "sitemap":
      return sitemapPath(doc.page);
    case "news-sitemap":
      return NEWS_SITEMAP_PATH;
    case "view":
      return viewPath(doc.scope);
    case "archive-view":
      return archiveViewPath(doc.page);
    case "partner":
      return partnerFeedPath(doc.id);
  }
}

const FIXED_DOCS = new Map<string, PublicDoc>([
  [ROBOTS_PATH, { kind: "robots" }],
  [SITEMAP_INDEX_PATH, { kind: "sitemap-index" }],
  [NEWS_SITEMAP_PATH, { kind: "news-sitemap" }],
]);

const FORMAT_OF_FILE = new Map<string, FeedFormat>(
  FEED_FORMATS.map((format) => [FEED_FILES[format], format]),
);

/** The public document at `path`, or undefined if nothing can live there. */
export function parsePath(path: string): PublicDoc | undefined {
  // Longest public path: /categories/<100>/feed.json; anything longer is not ours.
  if (path.length > 160) return undefined;
  const doc = parseSegments(path.split("/"));
  return doc && pathOf(doc) === path ? doc : undefined;
}

function parseSegments(parts: string[]): PublicDoc | undefined {
  // parts[0] is the empty string before the leading slash.
  if (parts[0] !== "") return undefined;
  if (parts.length === 2 && parts[1] === "") return { kind: "home" };
  const fixed = FIXED_DOCS.get(parts.join("/"));
  if (fixed) return fixed;
  if (parts.length === 3 && parts[1] === "sitemaps") {
    const page = Number((parts[2] as string).replace(/\.xml$/, ""));
    return Number.isInteger(page) && page >= 1 && page <= MAX_ARCHIVE_PAGE
      ? { kind: "sitemap", page }
      : undefined;
  }
  const file = parts[parts.length - 1] as string;
  const format = FORMAT_OF_FILE.get(file);
  const view = file === VIEW_FILE;
  const [, first, second] = parts;
  if (parts.length === 2) {
    if (view) return { kind: "view", scope: SITE };
    return format ? { kind: "feed", scope: SITE, format } : undefined;
  }
  if (parts.length === 3 && first === "articles" && !format) {
    return isSlug(second as string) ? { kind: "article", slug: second as string } : undefined;
  }
  if (parts.length !== 4 || !(format || view) || second === undefined) return undefined;
  if (first === "categories" || first === "authors") {
    if (!isSlug(second)) return undefined;
    const scope: FeedScope = { kind: first === "categories" ? "category" : "author", slug: second };
    return format ? { kind: "feed", scope, format } : { kind: "view", scope };
  }
  if (first === "partners") {
    return isSlug(second) && format === "rss" ? { kind: "partner", id: second } : undefined;
  }
  if (first === "archive") {
    const page = Number(second);
    if (!Number.isInteger(page) || page < 1 || page > MAX_ARCHIVE_PAGE) return undefined;
    return format ? { kind: "archive", page, format } : { kind: "archive-view", page };
  }
  return undefined;
}

export function absolute(site: SiteConfig, path: string): string {
  return `${site.url}${path}`;
}

/** Resolves a link from article HTML against the site; undefined if it is not http(s). */
export function resolveHttpUrl(site: SiteConfig, href: string): string | undefined {
  try {
    const url = new URL(href, `${site.url}/`);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
