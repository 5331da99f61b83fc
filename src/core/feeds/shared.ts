/** Pieces the RSS and Atom renderers share. */
import { escapeXml } from "../text.ts";
import type { FeedDocument, PagingRelation } from "./feed-document.ts";

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

export function stylesheetInstruction(doc: FeedDocument): string {
  return doc.stylesheet
    ? `<?xml-stylesheet type="text/xsl" href="${escapeXml(doc.stylesheet)}"?>\n`
    : "";
}

/**
 * Content HTML as a CDATA section. Full-text content is most of a feed's bytes; CDATA
 * carries it without rewriting every `<`, `>`, `&` and `"` (escaping was most of the
 * rendering time), and a `]]>` inside is split across two sections. The text must
 * already be free of characters XML forbids: toFeedEntry guarantees that.
 */
export function cdata(text: string): string {
  return `<![CDATA[${text.includes("]]>") ? text.replaceAll("]]>", "]]]]><![CDATA[>") : text}]]>`;
}
