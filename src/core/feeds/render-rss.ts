/**
 * RSS 2.0 (rssboard.org). Language is channel-level only, so an item in another
 * language says so with `dc:language`; names go in `dc:creator` because `<author>` must
 * be an e-mail address; dates are RFC 822 with a numeric zone.
 */
import { formatRfc822, isoFromEpochMs, toEpochMs } from "../dates.ts";
import { escapeXml as x } from "../text.ts";
import type { FeedDocument, FeedEntry } from "./feed-document.ts";
import {
  cdata,
  RSS_ATOM_LINK_RELATIONS,
  rssPlainText,
  rssText,
  WEBFEEDS_NS,
  webfeedsElements,
} from "./shared.ts";

function renderItem(doc: FeedDocument, e: FeedEntry): string {
  const parts = [
    `<title>${rssText(e.title)}</title>`,
    `<link>${x(e.url)}</link>`,
    `<description>${rssText(e.summary)}</description>`,
    `<content:encoded>${cdata(e.contentHtml)}</content:encoded>`,
    // Dublin Core and category text are plain text, and read so (README: "Plain text in RSS").
    ...e.authors.map((a) => `<dc:creator>${rssPlainText(a.name)}</dc:creator>`),
    ...(e.language !== doc.language ? [`<dc:language>${x(e.language)}</dc:language>`] : []),
    ...e.categories.map(
      (c) => `<category domain="${x(c.scheme)}">${rssPlainText(c.label)}</category>`,
    ),
    `<guid isPermaLink="true">${x(e.id)}</guid>`,
    `<pubDate>${rssDate(doc, e.published)}</pubDate>`,
  ];
  if (e.image) {
    const { url, type, length, width, height, alt } = e.image;
    // type="html": Universal Feed Parser takes the item's summary type from it.
    // RSS requires enclosure@length; 0 is the documented value when it is unknown.
    parts.push(`<enclosure url="${x(url)}" length="${length ?? 0}" type="${x(type)}"/>`);
    const size = `${width ? ` width="${width}"` : ""}${height ? ` height="${height}"` : ""}${length ? ` fileSize="${length}"` : ""}`;
    parts.push(
      `<media:content url="${x(url)}" type="${x(type)}" medium="image"${size}>${alt ? `<media:description type="html">${rssText(alt)}</media:description>` : ""}</media:content>`,
    );
  }
  parts.push(...(doc.rssExtras?.items.get(e.id) ?? []));
  return `<item>${parts.join("")}</item>`;
}

/** RFC 822 with the written offset, or in UTC where the partner wants it (MSN). */
function rssDate(doc: FeedDocument, iso: string): string {
  return formatRfc822(doc.rssExtras?.utcDates ? isoFromEpochMs(toEpochMs(iso)) : iso);
}

export function renderRss(doc: FeedDocument): string {
  const usesMedia = doc.entries.some((e) => e.image);
  const extras = doc.rssExtras;
  // Public feeds carry the site's branding for Feedly; a partner feed carries what its profile says.
  const branding = extras ? [] : webfeedsElements(doc.site);
  const links = [
    `<atom:link href="${x(doc.self.rss)}" rel="self" type="application/rss+xml"/>`,
    ...doc.site.hubs.map((hub) => `<atom:link href="${x(hub)}" rel="hub"/>`),
    ...RSS_ATOM_LINK_RELATIONS.flatMap((rel) => {
      const href = doc.links[rel]?.rss;
      return href ? [`<atom:link href="${x(href)}" rel="${rel}" type="application/rss+xml"/>`] : [];
    }),
  ];
  const image = doc.site.logo ?? doc.site.icon;
  const channel = [
    `<title>${rssText(doc.title)}</title>`,
    `<link>${x(doc.homeUrl)}</link>`,
    `<description>${rssText(doc.description)}</description>`,
    `<language>${x(doc.language)}</language>`,
    ...(doc.site.copyright ? [`<copyright>${x(doc.site.copyright)}</copyright>`] : []),
    ...(extras?.channelPubDate ? [`<pubDate>${rssDate(doc, doc.updated)}</pubDate>`] : []),
    `<lastBuildDate>${rssDate(doc, doc.updated)}</lastBuildDate>`,
    ...(extras?.ttlMinutes ? [`<ttl>${extras.ttlMinutes}</ttl>`] : []),
    "<docs>https://www.rssboard.org/rss-specification</docs>",
    ...links,
    ...(doc.archive ? ["<fh:archive/>"] : []),
    ...(image
      ? [
          `<image><url>${x(image)}</url><title>${rssText(doc.title)}</title><link>${x(doc.homeUrl)}</link></image>`,
        ]
      : []),
    ...branding,
    ...(extras?.channel ?? []),
    ...doc.entries.map((e) => renderItem(doc, e)),
    ...(extras?.trailingItems ?? []),
  ];
  const namespaces = [
    'xmlns:atom="http://www.w3.org/2005/Atom"',
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
    'xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ...(doc.archive ? ['xmlns:fh="http://purl.org/syndication/history/1.0"'] : []),
    ...(usesMedia ? ['xmlns:media="http://search.yahoo.com/mrss/"'] : []),
    ...(branding.length > 0 ? [WEBFEEDS_NS] : []),
    ...(extras?.namespaces ?? []),
  ];
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" ${namespaces.join(" ")}>\n<channel>\n${channel.join("\n")}\n</channel>\n</rss>\n`;
}
