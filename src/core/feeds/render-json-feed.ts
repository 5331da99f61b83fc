/**
 * JSON Feed 1.1 (jsonfeed.org/version/1.1): `language` at the top, and on an item only
 * where it differs; `authors` (1.1) rather than the 1.0 `author`; `hubs` for WebSub;
 * `next_url` for paging. Keys are written in a fixed order so equal input gives equal
 * bytes.
 */
import { formatRfc3339 } from "../dates.ts";
import { stripXmlForbidden } from "../text.ts";
import type { FeedDocument, FeedEntry } from "./feed-document.ts";

// Lone surrogates survive JSON.stringify as \udXXX escapes that strict parsers reject;
// the XML-forbidden set includes them, so one rule serves every format.
const t = stripXmlForbidden;

// Optional members are assigned rather than spread in: an object literal with spreads
// can end up in dictionary mode, which JSON.stringify walks on its slow path (measured:
// the JSON feed rendered about a quarter slower that way).
function renderItem(doc: FeedDocument, e: FeedEntry): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: e.id,
    url: e.url,
    title: t(e.title),
    summary: t(e.summary),
    // Already XML-clean (toFeedEntry): the largest field is not scanned again.
    content_html: e.contentHtml,
  };
  if (e.image) item.image = e.image.url;
  item.date_published = formatRfc3339(e.published);
  item.date_modified = formatRfc3339(e.updated);
  item.authors = e.authors.map((a) =>
    a.url ? { name: t(a.name), url: a.url } : { name: t(a.name) },
  );
  if (e.categories.length) item.tags = e.categories.map((c) => t(c.label));
  if (e.language !== doc.language) item.language = e.language;
  return item;
}

export function renderJsonFeed(doc: FeedDocument): string {
  const feed = {
    version: "https://jsonfeed.org/version/1.1",
    title: t(doc.title),
    home_page_url: doc.homeUrl,
    feed_url: doc.self.json,
    description: t(doc.description),
    ...(doc.links.next ? { next_url: doc.links.next.json } : {}),
    ...(doc.site.logo ? { icon: doc.site.logo } : doc.site.icon ? { icon: doc.site.icon } : {}),
    ...(doc.site.icon ? { favicon: doc.site.icon } : {}),
    language: doc.language,
    ...(doc.site.hubs.length
      ? { hubs: doc.site.hubs.map((url) => ({ type: "WebSub", url })) }
      : {}),
    items: doc.entries.map((e) => renderItem(doc, e)),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
