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
import { escapeXml, stripXmlForbidden } from "../text.ts";
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

const isString = (v: unknown): v is string => typeof v === "string";
const optionalString = (v: unknown) => v === undefined || isString(v);

/**
 * Whether a value read back (a feed entry stored as JSON) has the shape the renderers
 * rely on: a wrong one would fail the render of every feed that holds it.
 */
export function isFeedEntry(value: unknown): value is FeedEntry {
  const e = value as Partial<Record<keyof FeedEntry, unknown>> | null;
  if (typeof e !== "object" || e === null) return false;
  const texts = [
    e.id,
    e.url,
    e.title,
    e.summary,
    e.contentHtml,
    e.language,
    e.published,
    e.updated,
  ];
  if (!texts.every(isString)) return false;
  const people = Array.isArray(e.authors) ? (e.authors as Partial<FeedPerson>[]) : undefined;
  const cats = Array.isArray(e.categories) ? (e.categories as Partial<FeedCategory>[]) : undefined;
  if (!people || !cats) return false;
  if (
    !people.every(
      (p) =>
        isString(p?.name) && isString(p.slug) && optionalString(p.url) && optionalString(p.email),
    )
  )
    return false;
  if (!cats.every((c) => isString(c?.term) && isString(c.label) && isString(c.scheme)))
    return false;
  const image = e.image as Partial<LeadImage> | undefined;
  return (
    image === undefined ||
    (typeof image === "object" && image !== null && isString(image.url) && isString(image.type))
  );
}

export interface Tombstone {
  id: string;
  /** When it was deleted (RFC 3339). */
  when: string;
}

/**
 * Namespaced RSS a partner reads, already serialised (and escaped) by the partner
 * module; the RSS renderer only places it.
 */
export interface RssExtras {
  /** Dates in UTC (MSN). */
  utcDates: boolean;
  /** RSS `ttl`, minutes. */
  ttlMinutes?: number;
  /** A channel `pubDate` too (SmartNews requires it beside lastBuildDate). */
  channelPubDate?: boolean;
  /** `xmlns:…` declarations the extras need. */
  namespaces: string[];
  /** Channel elements, after the channel image. */
  channel: string[];
  /** Elements to add to an item, by entry id. */
  items: ReadonlyMap<string, string[]>;
  /** Whole `<item>`s after the live ones (MSN's takedown items). */
  trailingItems: string[];
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
  /** What a partner's profile adds to RSS (partners/partner-feed.ts); public feeds have none. */
  rssExtras?: RssExtras;
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
    ? (() => {
        const { length: _l, width: _w, height: _h, ...rest } = article.image;
        return {
          ...rest,
          url: resolveHttpUrl(site, article.image.url) ?? article.image.url,
          ...wholeNumbers(article.image),
        };
      })()
    : undefined;
  return {
    id: url,
    url,
    title: anchorText(article.title, direction),
    summary: anchorText(article.summary, direction),
    contentHtml: `<div dir="${direction}" lang="${article.language}">${leadFigure(image, html)}${placeMark(html, mark)}${renderCorrections(article)}</div>`,
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

/**
 * The entry as public documents show it: where PUBLIC_CONTENT is "summary" (a paywall),
 * its content is its summary, so no public feed, page or view holds the full text;
 * partner feeds use the entry as it is.
 */
export function publicEntry(site: SiteConfig, entry: FeedEntry): FeedEntry {
  if (site.publicContent === "full") return entry;
  const direction = directionOf(entry.language);
  return {
    ...entry,
    contentHtml: `<div dir="${direction}" lang="${entry.language}"><p>${escapeXml(entry.summary)}</p></div>`,
  };
}

/**
 * The lead image at the top of the content too, for readers that show no media:content
 * or enclosure (Ghost does the same, for the same reason), unless the body already shows
 * that image.
 */
function leadFigure(image: LeadImage | undefined, bodyHtml: string): string {
  if (!image) return "";
  const src = escapeXml(image.url);
  if (bodyHtml.includes(`src="${src}"`)) return "";
  const size = `${image.width ? ` width="${image.width}"` : ""}${image.height ? ` height="${image.height}"` : ""}`;
  return `<figure><img src="${src}" alt="${escapeXml(image.alt ?? "")}"${size}/></figure>`;
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

/**
 * Lead image sizes as every format can write them: safe integers only (1e21 would be
 * written `1e+21`). Ingestion refuses others; a record that bypassed it loses them.
 */
function wholeNumbers(image: LeadImage): Pick<LeadImage, "length" | "width" | "height"> {
  const out: Pick<LeadImage, "length" | "width" | "height"> = {};
  for (const [key, min] of [
    ["length", 0],
    ["width", 1],
    ["height", 1],
  ] as const) {
    const n = image[key];
    if (n !== undefined && Number.isSafeInteger(n) && n >= min) out[key] = n;
  }
  return out;
}

/** Start tags that hold the first text of a body, outermost first. */
const FIRST_BLOCK =
  /<(p|h[1-6]|ul|ol|li|blockquote|div|figure|figcaption|dl|dt|dd|pre|table|caption|thead|tbody|tfoot|tr|th|td)(?=[\s>/])[^>]*>\s*/iy;
/** Where text cannot stand: a mark here would be moved out of the table by the parser. */
const NO_TEXT = new Set(["ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr"]);

/**
 * The direction mark inside the first block that holds text (`<p>`, `<h2>`, the first
 * `<li>` of a list, a table's first cell…), not before it: a mark in front of the first
 * block is a line of its own in readers that show text between blocks (FreshRSS,
 * Liferea). Where the body does not start with a block, the mark stays in front.
 */
export function placeMark(html: string, mark: string): string {
  if (!mark) return html;
  let at = 0;
  let last = "";
  for (let depth = 0; depth < 16; depth++) {
    FIRST_BLOCK.lastIndex = at;
    const m = FIRST_BLOCK.exec(html);
    if (!m) break;
    at = FIRST_BLOCK.lastIndex;
    last = (m[1] as string).toLowerCase();
  }
  if (at === 0 || NO_TEXT.has(last)) return mark + html;
  return html.slice(0, at) + mark + html.slice(at);
}
