/** Pieces the RSS and Atom renderers share. */
import type { SiteConfig } from "../site.ts";
import { escapeXml, stripXmlForbidden } from "../text.ts";
import type { PagingRelation } from "./feed-document.ts";

/** RFC 5005 link relations, in the order they are written. */
export const RSS_ATOM_LINK_RELATIONS: PagingRelation[] = [
  "current",
  "first",
  "previous",
  "next",
  "last",
  "prev-archive",
  "next-archive",
];

/**
 * Content HTML as a CDATA section. Full-text content is most of a feed's bytes; CDATA
 * carries it without rewriting every `<`, `>`, `&` and `"` (escaping was most of the
 * rendering time), and a `]]>` inside is split across two sections. The text must
 * already be free of characters XML forbids: toFeedEntry guarantees that.
 */
export function cdata(text: string): string {
  return `<![CDATA[${text.includes("]]>") ? text.replaceAll("]]>", "]]]]><![CDATA[>") : text}]]>`;
}

/**
 * Plain text for the RSS elements that readers take as HTML: item and channel `title`
 * and `description`, and `media:description type="html"`. RSS 2.0 does not say whether
 * they hold text or HTML; Universal Feed Parser reads them as HTML, so text escaped once
 * loses a level there (`<img onerror>` in a description becomes an element). So `&` and
 * `<` are escaped twice (RSS Best Practices), the outer level as hexadecimal references
 * (`&#x26;lt;`, the RSS Profile's form, which the W3C validator takes as deliberate
 * text). Parsers that decode XML only (feedsmith, rss-parser, @rowanmanning/feed-parser)
 * then show the entities of a text that has `&` or `<`; text without them is written
 * as before. README: "Plain text in RSS" has what each reader shows.
 */
export function rssText(text: string): string {
  if (!text.includes("&") && !text.includes("<")) return escapeXml(text);
  return stripXmlForbidden(text)
    .replaceAll("&", "&#x26;amp;")
    .replaceAll("<", "&#x26;lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * Plain text for the RSS elements that readers take as text (`dc:creator`, `category`):
 * escaped once, `&` and `<` as hexadecimal references (RSS Profile;
 * @rowanmanning/feed-parser decodes `&amp;lt;` twice, but not `&#x26;lt;`).
 */
export function rssPlainText(text: string): string {
  if (!text.includes("&") && !text.includes("<")) return escapeXml(text);
  return stripXmlForbidden(text)
    .replaceAll("&", "&#x26;")
    .replaceAll("<", "&#x3C;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

export const WEBFEEDS_NS = 'xmlns:webfeeds="http://webfeeds.org/rss/1.0"';

/**
 * Feedly's webfeeds elements (icon, logo, cover, accent colour), from the site's
 * branding settings: Feedly shows them beside the feed in every reader's list.
 */
export function webfeedsElements(site: SiteConfig): string[] {
  return [
    ...(site.icon ? [`<webfeeds:icon>${escapeXml(site.icon)}</webfeeds:icon>`] : []),
    ...(site.logo ? [`<webfeeds:logo>${escapeXml(site.logo)}</webfeeds:logo>`] : []),
    ...(site.cover ? [`<webfeeds:cover image="${escapeXml(site.cover)}"/>`] : []),
    ...(site.accentColor
      ? [`<webfeeds:accentColor>${site.accentColor}</webfeeds:accentColor>`]
      : []),
  ];
}
