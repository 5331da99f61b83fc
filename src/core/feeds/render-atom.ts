/**
 * Atom 1.0 (RFC 4287). `xml:lang` on <feed>, and on an <entry> whose language differs;
 * it is inherited by every text construct below. No `dir` attribute: the Atom bidi draft
 * expired and validators reject it, so direction travels in the HTML content wrapper
 * and in direction marks. Deleted articles are RFC 6721 tombstones.
 */
import { formatRfc3339 } from "../dates.ts";
import { escapeXmlAttribute, escapeXml as x } from "../text.ts";
import type { FeedDocument, FeedEntry } from "./feed-document.ts";
import { cdata, RSS_ATOM_LINK_RELATIONS } from "./shared.ts";

function renderEntry(doc: FeedDocument, e: FeedEntry): string {
  const lang = e.language !== doc.language ? ` xml:lang="${x(e.language)}"` : "";
  const parts = [
    `<id>${x(e.id)}</id>`,
    `<title type="text">${x(e.title)}</title>`,
    `<link rel="alternate" type="text/html" href="${x(e.url)}"/>`,
    `<published>${formatRfc3339(e.published)}</published>`,
    `<updated>${formatRfc3339(e.updated)}</updated>`,
    ...e.authors.map(
      (a) =>
        `<author><name>${x(a.name)}</name>${a.url ? `<uri>${x(a.url)}</uri>` : ""}${a.email ? `<email>${x(a.email)}</email>` : ""}</author>`,
    ),
    ...e.categories.map(
      (c) =>
        `<category term="${x(c.term)}" label="${escapeXmlAttribute(c.label)}" scheme="${x(c.scheme)}"/>`,
    ),
    `<summary type="text">${x(e.summary)}</summary>`,
    `<content type="html">${cdata(e.contentHtml)}</content>`,
  ];
  if (e.image) {
    const length = e.image.length ? ` length="${e.image.length}"` : "";
    parts.push(
      `<link rel="enclosure" type="${x(e.image.type)}" href="${x(e.image.url)}"${length}/>`,
    );
  }
  return `<entry${lang}>${parts.join("")}</entry>`;
}

export function renderAtom(doc: FeedDocument): string {
  const tombstones = doc.tombstones.map(
    (t) => `<at:deleted-entry ref="${x(t.id)}" when="${formatRfc3339(t.when)}"/>`,
  );
  const head = [
    `<id>${x(doc.self.atom)}</id>`,
    `<title type="text">${x(doc.title)}</title>`,
    `<subtitle type="text">${x(doc.description)}</subtitle>`,
    `<updated>${formatRfc3339(doc.updated)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${x(doc.self.atom)}"/>`,
    `<link rel="alternate" type="text/html" href="${x(doc.homeUrl)}"/>`,
    ...doc.site.hubs.map((hub) => `<link rel="hub" href="${x(hub)}"/>`),
    ...RSS_ATOM_LINK_RELATIONS.flatMap((rel) => {
      const href = doc.links[rel]?.atom;
      return href ? [`<link rel="${rel}" type="application/atom+xml" href="${x(href)}"/>`] : [];
    }),
    ...(doc.archive ? ["<fh:archive/>"] : []),
    ...(doc.site.copyright ? [`<rights type="text">${x(doc.site.copyright)}</rights>`] : []),
    ...(doc.site.icon ? [`<icon>${x(doc.site.icon)}</icon>`] : []),
    ...(doc.site.logo ? [`<logo>${x(doc.site.logo)}</logo>`] : []),
  ];
  const namespaces = [
    'xmlns="http://www.w3.org/2005/Atom"',
    ...(doc.archive ? ['xmlns:fh="http://purl.org/syndication/history/1.0"'] : []),
    ...(tombstones.length ? ['xmlns:at="http://purl.org/atompub/tombstones/1.0"'] : []),
  ];
  // RFC 4287's schema puts extension elements before the entries; RFC 6721 allows
  // deleted-entry anywhere in the feed, so they go with the head.
  const body = [...head, ...tombstones, ...doc.entries.map((e) => renderEntry(doc, e))];
  return `<?xml version="1.0" encoding="utf-8"?>\n<feed ${namespaces.join(" ")} xml:lang="${x(doc.language)}">\n${body.join("\n")}\n</feed>\n`;
}
