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

/** A character found where it is not accepted, for refusals. */
export interface FoundCharacter {
  /** Position in characters (code points), 0-based. */
  index: number;
  codePoint: string;
  /** What it is, e.g. "a backslash". */
  what: string;
  /** What is wrong with it where it is, when that is not just being there. */
  problem?: string;
}

const codePointOf = (ch: string) =>
  `U+${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, "0")}`;

function found(text: string, at: number, what: string, problem?: string): FoundCharacter {
  return {
    index: [...text.slice(0, at)].length,
    codePoint: codePointOf(text[at] as string),
    what,
    ...(problem ? { problem } : {}),
  };
}

// Backslashes: browsers and the URL standard read `\` as `/` in http(s) URLs, so
// `/\evil.example/x` is a path to one parser and another host to the next. Control
// characters: the URL parser silently drops tabs and newlines (`java\nscript:`). Bidi
// controls and marks: they reorder how a URL is shown, not where it goes.
const URL_FORBIDDEN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\\\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const URL_FORBIDDEN_OR_SPACE = new RegExp(`${URL_FORBIDDEN.source}|\\s`);

/**
 * The first character a URL may not contain: a backslash, a control character, a
 * direction control or mark, a lone surrogate (and, with `spaces`, any whitespace).
 */
export function findUrlForbidden(url: string, { spaces = false } = {}): FoundCharacter | undefined {
  const match = (spaces ? URL_FORBIDDEN_OR_SPACE : URL_FORBIDDEN).exec(url);
  if (!match) return undefined;
  const ch = match[0];
  const code = ch.charCodeAt(0);
  const what =
    ch === "\\"
      ? "a backslash"
      : code < 0x20 || (code >= 0x7f && code <= 0x9f)
        ? "a control character"
        : code >= 0xd800 && code <= 0xdfff
          ? "a lone surrogate"
          : /\s/.test(ch)
            ? "a space"
            : code === 0xfffe || code === 0xffff
              ? "a noncharacter"
              : "a direction control";
  return found(url, match.index, what);
}

/** Names of U+202A–U+202E and U+2066–U+2069, by code point (the formatter writes them in decimal). */
const BIDI_CONTROL_NAMES: Record<number, string> = {
  8234: "LEFT-TO-RIGHT EMBEDDING",
  8235: "RIGHT-TO-LEFT EMBEDDING",
  8236: "POP DIRECTIONAL FORMATTING",
  8237: "LEFT-TO-RIGHT OVERRIDE",
  8238: "RIGHT-TO-LEFT OVERRIDE",
  8294: "LEFT-TO-RIGHT ISOLATE",
  8295: "RIGHT-TO-LEFT ISOLATE",
  8296: "FIRST STRONG ISOLATE",
  8297: "POP DIRECTIONAL ISOLATE",
};
// The controls, and the paragraph separators (Bidi_Class B) that end their effect.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C–U+001E are paragraph separators.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\n\r\u0085\u2029\u001C-\u001E]/g;
/** Deeper than this, a plain-text field is refused (UAX #9 allows 125). */
export const BIDI_MAX_DEPTH = 16;

/**
 * The first bidi embedding, override or isolate control (U+202A–U+202E, U+2066–U+2069)
 * in plain text that is not balanced: an opener not closed before the end of its line,
 * a closer with nothing of its kind open, or nesting deeper than BIDI_MAX_DEPTH.
 * A balanced pair keeps its effect inside the text; an unbalanced one reverses the text
 * after it wherever the field is shown (U+202E in a title turned the rest of the home
 * page's line around). The marks U+200E, U+200F and U+061C need no closing.
 */
export function findUnbalancedBidi(text: string): FoundCharacter | undefined {
  if (!/[\u202A-\u202E\u2066-\u2069]/.test(text)) return undefined;
  const open: { at: number; isolate: boolean }[] = [];
  const unclosed = () => {
    const first = open[0] as { at: number };
    const closer =
      text.charCodeAt(first.at) >= 0x2066
        ? "U+2069 POP DIRECTIONAL ISOLATE"
        : "U+202C POP DIRECTIONAL FORMATTING";
    return found(
      text,
      first.at,
      name(first.at),
      `which is not closed by ${closer} before the end of its line`,
    );
  };
  const name = (at: number) => BIDI_CONTROL_NAMES[text.charCodeAt(at)] as string;
  BIDI_CONTROL.lastIndex = 0;
  for (let m = BIDI_CONTROL.exec(text); m; m = BIDI_CONTROL.exec(text)) {
    const code = m[0].charCodeAt(0);
    const at = m.index;
    if (code < 0x2000 || code === 0x2029) {
      if (open.length > 0) return unclosed();
      continue;
    }
    if (code === 0x202c || code === 0x2069) {
      const top = open.at(-1);
      const isolate = code === 0x2069;
      if (!top || top.isolate !== isolate)
        return found(
          text,
          at,
          name(at),
          `which closes no ${isolate ? "isolate (U+2066–U+2068)" : "embedding or override (U+202A, U+202B, U+202D, U+202E)"} open before it`,
        );
      open.pop();
      continue;
    }
    open.push({ at, isolate: code >= 0x2066 });
    if (open.length > BIDI_MAX_DEPTH)
      return found(text, at, name(at), `nested ${open.length} deep (at most ${BIDI_MAX_DEPTH})`);
  }
  return open.length > 0 ? unclosed() : undefined;
}

/**
 * The offset of the first byte that is not part of well-formed UTF-8 (WHATWG Encoding:
 * shortest forms only, no surrogates, nothing above U+10FFFF), or -1 when all are.
 * A truncated sequence at the end is reported at its first byte.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined) return i;
      if (next < lower || next > upper) return i;
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}
