/**
 * Text hygiene shared by ingestion and rendering.
 *
 * XML 1.0 (§2.2 Char) allows #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]. Anything else makes a feed ill-formed, so ingestion refuses it
 * (the editor learns which field and which code point) and the renderers strip it as
 * a last line of defence against records that bypassed ingestion.
 */

// Lone surrogates are matched with the `u` flag off: a well-formed pair is two code
// units that this pattern skips over as a unit.
const XML_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The first character XML 1.0 forbids, as `U+XXXX` with its position counted in
 * characters (code points, as an editor counts them, not UTF-16 units), or undefined.
 */
export function findXmlForbidden(text: string): { index: number; codePoint: string } | undefined {
  XML_FORBIDDEN.lastIndex = 0;
  const match = XML_FORBIDDEN.exec(text);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return { index: [...text.slice(0, match.index)].length, codePoint: `U+${code}` };
}

// The renderers run over every character of full-text feeds: a plain character class
// and the engine's native well-formedness check answer the common case (nothing to
// strip) far faster than the lookaround pattern above.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const XML_FORBIDDEN_BMP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Removes every character XML 1.0 forbids. */
export function stripXmlForbidden(text: string): string {
  if (!XML_FORBIDDEN_BMP.test(text) && text.isWellFormed()) return text;
  return text.replace(XML_FORBIDDEN, "");
}

/** Escapes text for XML/HTML element content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  const clean = stripXmlForbidden(text);
  if (!/[&<>"]/.test(clean)) return clean;
  // Native replaceAll with strings beats a callback per match on markup-heavy content.
  return clean
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}

/**
 * Escapes text for a double-quoted XML attribute value, keeping tabs and line breaks:
 * attribute-value normalisation (XML 1.0 §3.3.3) would turn them into spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/[\t\n\r]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** NFC, and Windows/old-Mac line ends folded to LF, so equal text is stored as equal bytes. */
export function normalizeText(text: string): string {
  return text.normalize("NFC").replace(/\r\n?/g, "\n");
}
