/**
 * Every document the publisher serves, rendered from plain data: the three formats of a
 * scope's feed and its browser view, archive pages (the same), the home page, article
 * pages and the page of a deleted article. The
 * single writer calls these when something changes; readers only fetch the result.
 */
import type { ArchiveLayout } from "./feeds/archive.ts";
import { buildArchivePage, buildScopeFeed, newest, RENDERERS } from "./feeds/build-feed.ts";
import type { FeedDocument, FeedEntry, Tombstone } from "./feeds/feed-document.ts";
import { fnv1aHex } from "./fnv.ts";
import {
  renderArticlePage,
  renderErrorPage,
  renderFeedView,
  renderHomePage,
} from "./pages/render-pages.ts";
import { RENDER_CANARY_HASH } from "./render-canary-hash.ts";
import type { SiteConfig } from "./site.ts";
import type { StoredArticle } from "./stored-article.ts";
import {
  absolute,
  archivePath,
  archiveViewPath,
  articlePath,
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  type FeedFormat,
  type FeedScope,
  feedPath,
  viewPath,
} from "./urls.ts";

export const HTML_TYPE = "text/html; charset=utf-8";

export interface RenderedDoc {
  path: string;
  body: string;
  contentType: string;
  language: string;
  status: 200 | 410;
  /** The newest change the document shows (RFC 3339). */
  updated: string;
}

function renderFormats(doc: FeedDocument, path: (format: FeedFormat) => string): RenderedDoc[] {
  return FEED_FORMATS.map((format) => ({
    path: path(format),
    body: RENDERERS[format](doc),
    contentType: `${FEED_MEDIA_TYPES[format]}; charset=utf-8`,
    language: doc.language,
    status: 200,
    updated: doc.updated,
  }));
}

export function renderScopeFeeds(
  site: SiteConfig,
  scope: FeedScope,
  label: string | undefined,
  entries: FeedEntry[],
  tombstones: Tombstone[],
  archive?: ArchiveLayout,
): RenderedDoc[] {
  const doc = buildScopeFeed({
    site,
    scope,
    ...(label ? { label } : {}),
    entries,
    tombstones,
    ...(archive ? { archive } : {}),
  });
  return renderFormats(doc, (format) => feedPath(scope, format));
}

/** The HTML page a browser gets at a feed's URLs: the feed's title, items and URLs. */
function renderView(site: SiteConfig, doc: FeedDocument, path: string): RenderedDoc {
  return {
    path,
    body: renderFeedView(site, {
      title: doc.title,
      description: doc.description,
      urls: doc.self,
      entries: doc.entries,
      canonical: absolute(site, path),
    }),
    contentType: HTML_TYPE,
    language: doc.language,
    status: 200,
    updated: doc.updated,
  };
}

/** The browser view of a scope's feeds (`<scope folder>/feed.html`), from the same entries. */
export function renderScopeView(
  site: SiteConfig,
  scope: FeedScope,
  label: string | undefined,
  entries: FeedEntry[],
  tombstones: Tombstone[],
): RenderedDoc {
  const doc = buildScopeFeed({ site, scope, ...(label ? { label } : {}), entries, tombstones });
  return renderView(site, doc, viewPath(scope));
}

export function renderArchivePage(
  site: SiteConfig,
  page: number,
  layout: ArchiveLayout,
  entries: FeedEntry[],
): RenderedDoc[] {
  const doc = buildArchivePage({ site, page, layout, entries });
  return renderFormats(doc, (format) => archivePath(page, format));
}

/** The browser view of an archive page (`/archive/<n>/feed.html`). */
export function renderArchiveView(
  site: SiteConfig,
  page: number,
  layout: ArchiveLayout,
  entries: FeedEntry[],
): RenderedDoc {
  return renderView(site, buildArchivePage({ site, page, layout, entries }), archiveViewPath(page));
}

export function renderHomeDoc(site: SiteConfig, entries: FeedEntry[]): RenderedDoc {
  return {
    path: "/",
    body: renderHomePage(site, entries),
    contentType: HTML_TYPE,
    language: site.language,
    status: 200,
    updated: newest(entries.map((e) => e.updated)),
  };
}

/** Everything of an article's page but its body (what its KV metadata is made of). */
export function articleDocHead(record: StoredArticle, entry: FeedEntry): Omit<RenderedDoc, "body"> {
  return {
    path: articlePath(record.slug),
    contentType: HTML_TYPE,
    language: entry.language,
    status: 200,
    updated: record.updated,
  };
}

export function renderArticleDoc(
  site: SiteConfig,
  record: StoredArticle,
  entry: FeedEntry,
): RenderedDoc {
  const { dateline, source } = record.article;
  return {
    ...articleDocHead(record, entry),
    body: renderArticlePage(site, {
      entry,
      ...(dateline ? { dateline } : {}),
      ...(source ? { source } : {}),
    }),
  };
}

export function renderGoneDoc(site: SiteConfig, slug: string, deleted: string): RenderedDoc {
  return {
    path: articlePath(slug),
    body: renderErrorPage(site, 410),
    contentType: HTML_TYPE,
    language: site.language,
    status: 410,
    updated: deleted,
  };
}

/**
 * A short fingerprint of what rendering depends on besides the articles: the site
 * configuration and what the renderers output (the render canary's hash, kept current by
 * the tests: render-canary.ts). Documents built under another fingerprint are rebuilt (a
 * changed SITE_URL, or renderers that now say something else, must not leave old bytes
 * in stored feeds). `rendererHash` is a parameter for tests only.
 */
export function buildFingerprint(site: SiteConfig, rendererHash = RENDER_CANARY_HASH): string {
  return fnv1aHex(`${rendererHash}:${JSON.stringify(site)}`);
}

/** A strong ETag: the first 128 bits of SHA-256 over the exact bytes, base64url. */
export async function strongEtag(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  const head = new Uint8Array(digest).slice(0, 16);
  const b64 = btoa(String.fromCharCode(...head))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  return `"${b64}"`;
}
