/**
 * The input of the three renderers: one logical feed (site, category, author or archive
 * page) with everything already decided — absolute URLs, direction marks, the updated
 * time. Renderers only serialise, so the same document always gives the same bytes.
 */

import type { LeadImage } from "../article.ts";
import { anchorText, directionMarkFor, visibleText } from "../bidi.ts";
import { renderCorrections } from "../corrections.ts";
import { directionOf } from "../language.ts";
import type { SiteConfig } from "../site.ts";
import type { StoredArticle } from "../stored-article.ts";
import { stripXmlForbidden } from "../text.ts";
import { absolute, articlePath, type FeedFormat, resolveHttpUrl } from "../urls.ts";

export interface FeedPerson {
  name: string;
  /** Author slug: names the author's own feeds. */
  slug: string;
  url?: string;
  email?: string;
}

export interface FeedCategory {
  /** Machine term (the category slug). */
  term: string;
  label: string;
  /** The categorisation scheme (Atom `scheme`, RSS `domain`). */
  scheme: string;
}

export interface FeedEntry {
  /** Stable id: the permalink, unchanged by edits. */
  id: string;
  url: string;
  title: string;
  summary: string;
  /**
   * Sanitised HTML wrapped in an element carrying `dir` and `lang`, free of characters
   * XML forbids (renderers rely on that and do not scan it again).
   */
  contentHtml: string;
  language: string;
  authors: FeedPerson[];
  categories: FeedCategory[];
  published: string;
  updated: string;
  image?: LeadImage;
}

export interface Tombstone {
  id: string;
  /** When it was deleted (RFC 3339). */
  when: string;
}

export type PagingRelation =
  | "first"
  | "last"
  | "next"
  | "previous"
  | "prev-archive"
  | "next-archive"
  | "current";

export interface FeedDocument {
  site: SiteConfig;
  title: string;
  description: string;
  language: string;
  /** The HTML page this feed is the feed of. */
  homeUrl: string;
  /** Each format's own URL of this document. */
  self: Record<FeedFormat, string>;
  /** Newest change of anything in the document (RFC 3339). */
  updated: string;
  entries: FeedEntry[];
  tombstones: Tombstone[];
  /** RFC 5005 links, each per format. */
  links: Partial<Record<PagingRelation, Record<FeedFormat, string>>>;
  /** RFC 5005 §4 archive document: its contents are fixed. */
  archive: boolean;
  /** XSL stylesheet for browsers (RSS and Atom only). */
  stylesheet?: string;
}

/**
 * A stored article as a feed entry, direction-anchored for first-strong readers. Every
 * text is stripped of characters XML forbids here, once per article version, so that
 * no record that bypassed ingestion can make a feed ill-formed.
 */
export function toFeedEntry(site: SiteConfig, record: StoredArticle, bodyHtml: string): FeedEntry {
  const article = cleanArticle(record.article);
  const html = stripXmlForbidden(bodyHtml);
  const direction = directionOf(article.language);
  const url = absolute(site, articlePath(record.slug));
  const mark = directionMarkFor(visibleText(html), direction);
  const image = article.image
    ? { ...article.image, url: resolveHttpUrl(site, article.image.url) ?? article.image.url }
    : undefined;
  return {
    id: url,
    url,
    title: anchorText(article.title, direction),
    summary: anchorText(article.summary, direction),
    contentHtml: `<div dir="${direction}" lang="${article.language}">${mark}${html}${renderCorrections(article)}</div>`,
    language: article.language,
    authors: article.authors.map((a) => ({
      name: a.name,
      slug: a.slug,
      ...(a.url ? { url: a.url } : {}),
      ...(a.email ? { email: a.email } : {}),
    })),
    categories: article.categories.map((c) => ({
      term: c.slug,
      label: c.label,
      scheme: absolute(site, "/categories/"),
    })),
    published: article.published,
    updated: record.updated,
    ...(image ? { image } : {}),
  };
}

/** The article's texts without characters XML forbids. */
function cleanArticle(article: StoredArticle["article"]): StoredArticle["article"] {
  const clean = stripXmlForbidden;
  return {
    ...article,
    title: clean(article.title),
    summary: clean(article.summary),
    authors: article.authors.map((a) => ({ ...a, name: clean(a.name) })),
    categories: article.categories.map((c) => ({ ...c, label: clean(c.label) })),
    ...(article.image ? { image: { ...article.image, alt: clean(article.image.alt) } } : {}),
  };
}
