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
