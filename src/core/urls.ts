/**
 * Every public URL the publisher emits, in one place, so feeds, pages, links and the
 * KV key scheme agree. Paths are ASCII: slugs are ASCII by schema, and anything else is
 * percent-encoded, because raw Arabic letters in <link>/<guid> are validator errors.
 */
import type { SiteConfig } from "./site.ts";

export type FeedFormat = "rss" | "atom" | "json";

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

/** Which feed: the whole site, one category or one author, or an archive page of it. */
export type FeedScope =
  | { kind: "site" }
  | { kind: "category"; slug: string }
  | { kind: "author"; slug: string };

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

export function articlePath(slug: string): string {
  return `/articles/${encodeURIComponent(slug)}`;
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
