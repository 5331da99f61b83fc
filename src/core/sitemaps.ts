/**
 * Documents for search engines: the sitemap index, its child sitemaps, the Google News
 * sitemap and robots.txt. Rendered from catalogue entries alone (URL, dates, title,
 * language), so a commit that writes them reads no article record.
 *
 * - Sitemaps protocol (https://www.sitemaps.org/protocol.html): a sitemap holds at most
 *   50,000 URLs and 50 MB, an index at most 50,000 sitemaps; `<lastmod>` is a W3C
 *   datetime. Child sitemaps here hold SITEMAP_PAGE_SIZE articles by sequence number
 *   (fixed boundaries, like the archive pages), so a publish rewrites one child of at
 *   most ~200 KB and the index, whatever the archive holds.
 * - Google News sitemap (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap):
 *   only articles published in the last two days, at most 1,000 `<news:news>`, each
 *   with `news:publication` (name, language), `news:publication_date` and `news:title`.
 */
import { formatRfc3339, toEpochMs } from "./dates.ts";
import type { RenderedDoc } from "./documents.ts";
import type { SiteConfig } from "./site.ts";
import { escapeXml as text } from "./text.ts";
import {
  absolute,
  articlePath,
  NEWS_SITEMAP_PATH,
  ROBOTS_PATH,
  SITEMAP_INDEX_PATH,
  sitemapPath,
} from "./urls.ts";

/** Articles per child sitemap (the protocol allows 50,000; see above for why fewer). */
export const SITEMAP_PAGE_SIZE = 1_000;
/** Google News: "at most 1,000 news:news tags" per news sitemap. */
export const NEWS_SITEMAP_MAX = 1_000;
/** Google News: "only include URLs for articles published in the last two days". */
export const NEWS_WINDOW_MS = 2 * 86_400_000;

const XML_TYPE = "application/xml; charset=utf-8";
const SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9";

/** What a sitemap needs of an article: its catalogue entry. */
export interface SitemapEntry {
  slug: string;
  title?: string;
  published: string;
  updated: string;
  language: string;
}

function xmlDoc(path: string, body: string, site: SiteConfig, updated: string): RenderedDoc {
  return { path, body, contentType: XML_TYPE, language: site.language, status: 200, updated };
}

const newestOf = (entries: SitemapEntry[], fallback: string) =>
  entries.reduce((max, e) => (toEpochMs(e.updated) > toEpochMs(max) ? e.updated : max), fallback);

/** The page (1-based) a sequence number falls in. */
export const sitemapPageOf = (seq: number): number => Math.ceil(seq / SITEMAP_PAGE_SIZE);

/** Child sitemap `page`: the live articles numbered into it, with their last change. */
export function renderSitemapPage(
  site: SiteConfig,
  page: number,
  entries: SitemapEntry[],
): RenderedDoc {
  const urls = entries.map(
    (e) =>
      `<url><loc>${text(absolute(site, articlePath(e.slug)))}</loc><lastmod>${formatRfc3339(e.updated)}</lastmod></url>`,
  );
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${SITEMAP_NS}">\n${urls.join("\n")}${urls.length ? "\n" : ""}</urlset>\n`;
  return xmlDoc(sitemapPath(page), body, site, newestOf(entries, "1970-01-01T00:00:00Z"));
}

/**
 * The index: the child sitemaps that hold at least one live article. No `<lastmod>`
 * (optional in the protocol): each child's own `<lastmod>`s say what changed, and the
 * index then changes only when a child appears or empties.
 */
export function renderSitemapIndex(site: SiteConfig, pages: number[]): RenderedDoc {
  const children = pages.map(
    (page) => `<sitemap><loc>${text(absolute(site, sitemapPath(page)))}</loc></sitemap>`,
  );
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="${SITEMAP_NS}">\n${children.join("\n")}${children.length ? "\n" : ""}</sitemapindex>\n`;
  return xmlDoc(SITEMAP_INDEX_PATH, body, site, "1970-01-01T00:00:00Z");
}

/**
 * Google News wants an ISO 639 code of two or three letters, except zh-cn and zh-tw
 * (the schema's pattern); BCP 47 tags are reduced to that.
 */
export function newsLanguage(tag: string): string {
  const [primary = "", ...rest] = tag.toLowerCase().split("-");
  if (primary === "zh") {
    const traditional = rest.some((s) => s === "hant" || s === "tw" || s === "hk" || s === "mo");
    return traditional ? "zh-tw" : "zh-cn";
  }
  return primary;
}

/** Entries the news sitemap shows at `nowMs`: published in the last two days, newest first. */
export function newsEntries(entries: SitemapEntry[], nowMs: number): SitemapEntry[] {
  return entries
    .filter((e) => {
      const published = toEpochMs(e.published);
      return published <= nowMs && nowMs - published <= NEWS_WINDOW_MS;
    })
    .slice(0, NEWS_SITEMAP_MAX);
}

/** `entries`: the newest live articles, newest first (filtered here by the two-day window). */
export function renderNewsSitemap(
  site: SiteConfig,
  entries: SitemapEntry[],
  nowMs: number,
): RenderedDoc {
  const shown = newsEntries(entries, nowMs);
  const name = text(site.title);
  const urls = shown.map(
    (e) =>
      `<url><loc>${text(absolute(site, articlePath(e.slug)))}</loc><news:news>` +
      `<news:publication><news:name>${name}</news:name><news:language>${newsLanguage(e.language)}</news:language></news:publication>` +
      `<news:publication_date>${formatRfc3339(e.published)}</news:publication_date>` +
      `<news:title>${text(e.title ?? e.slug)}</news:title></news:news></url>`,
  );
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${SITEMAP_NS}" xmlns:news="${NEWS_NS}">\n${urls.join("\n")}${urls.length ? "\n" : ""}</urlset>\n`;
  return xmlDoc(NEWS_SITEMAP_PATH, body, site, newestOf(shown, "1970-01-01T00:00:00Z"));
}

/** robots.txt: everything may be crawled (the admin API needs a token); names both sitemaps. */
export function renderRobots(site: SiteConfig): RenderedDoc {
  const body = [
    "User-agent: *",
    "Disallow: /api/",
    "",
    `Sitemap: ${absolute(site, SITEMAP_INDEX_PATH)}`,
    `Sitemap: ${absolute(site, NEWS_SITEMAP_PATH)}`,
    "",
  ].join("\n");
  return {
    path: ROBOTS_PATH,
    body,
    contentType: "text/plain; charset=utf-8",
    language: site.language,
    status: 200,
    updated: "1970-01-01T00:00:00Z",
  };
}
