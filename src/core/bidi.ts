/**
 * Direction that survives readers which ignore markup.
 *
 * Miniflux, NetNewsWire and FreshRSS render titles and content with `dir="auto"`, and
 * Miniflux strips `dir`/`lang` from content, so what decides is the first strong
 * character (Unicode Bidirectional Algorithm, rules P2/P3). An Arabic headline that
 * starts with "CNN:" or "2020" would show left-to-right. The fix: where the first strong
 * character disagrees with the item's direction, put an invisible mark of the right
 * direction in front (U+200F RIGHT-TO-LEFT MARK, U+200E LEFT-TO-RIGHT MARK). Text whose
 * first strong character already agrees is left byte-for-byte alone.
 */
import { STRONG_LTR_RANGES, STRONG_RTL_RANGES } from "./bidi-classes.ts";
import type { Direction } from "./language.ts";

export const RLM = "\u200F";
export const LRM = "\u200E";

/** Decodes a generated range table into sorted [from, to] pairs. */
function decodeRanges(table: string): Uint32Array {
  const parts = table.split(",").map((n) => Number.parseInt(n, 36));
  const out = new Uint32Array(parts.length);
  let previous = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const from = previous + (parts[i] as number);
    const to = from + (parts[i + 1] as number);
    out[i] = from;
    out[i + 1] = to;
    previous = to;
  }
  return out;
}

let tables: { ltr: Uint32Array; rtl: Uint32Array } | undefined;

function inRanges(ranges: Uint32Array, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < (ranges[mid * 2] as number)) hi = mid - 1;
    else if (cp > (ranges[mid * 2 + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** `rtl` for Bidi_Class R/AL, `ltr` for L, undefined for weak and neutral characters. */
export function strongDirectionOf(cp: number): Direction | undefined {
  // ASCII is by far the most common case: answer it without the tables.
  if (cp < 0x80)
    return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? "ltr" : undefined;
  tables ??= { ltr: decodeRanges(STRONG_LTR_RANGES), rtl: decodeRanges(STRONG_RTL_RANGES) };
  if (inRanges(tables.rtl, cp)) return "rtl";
  return inRanges(tables.ltr, cp) ? "ltr" : undefined;
}

const ISOLATE_OPEN = /[\u2066\u2067\u2068]/;
const ISOLATE_CLOSE = "\u2069";

/**
 * The direction first-strong detection gives this text, or undefined when it has no
 * strong character. UAX #9 P2 skips isolated runs (`skipIsolates`, the default); the
 * HTML `dir="auto"` rule that browsers implement does not.
 */
export function firstStrongDirection(
  text: string,
  { skipIsolates = true } = {},
): Direction | undefined {
  let depth = 0;
  for (const ch of text) {
    if (skipIsolates && ISOLATE_OPEN.test(ch)) {
      depth++;
      continue;
    }
    if (skipIsolates && ch === ISOLATE_CLOSE) {
      if (depth > 0) depth--;
      continue;
    }
    if (depth > 0) continue;
    const strong = strongDirectionOf(ch.codePointAt(0) as number);
    if (strong) return strong;
  }
  return undefined;
}

/**
 * The mark to put in front of `text` so that first-strong detection gives `direction`,
 * under both the UAX #9 rule and the browsers' `dir="auto"` rule (a leading mark
 * satisfies both).
 */
export function directionMarkFor(text: string, direction: Direction): string {
  const detections = [
    firstStrongDirection(text),
    firstStrongDirection(text, { skipIsolates: false }),
  ];
  // No strong character at all resolves left-to-right, so right-to-left needs a mark.
  if (direction === "rtl") return detections.every((d) => d === "rtl") ? "" : RLM;
  return detections.some((d) => d === "rtl") ? LRM : "";
}

/** Plain text anchored to `direction`. */
export function anchorText(text: string, direction: Direction): string {
  return directionMarkFor(text, direction) + text;
}

/** Named references that matter for direction, decoded. */
const NAMED: Record<string, string> = {
  lrm: LRM,
  rlm: RLM,
  nbsp: "\u00A0",
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};
/**
 * Named references to neutral characters (punctuation, symbols, spaces). Any other name
 * is taken as a left-to-right letter: most are (é, α, µ, Cyrillic), and a reader shows an
 * unknown `&foo;` literally, letters included. Erring that way costs at most one
 * invisible mark.
 */
const NEUTRAL_NAMED =
  /^(?:laquo|raquo|lsaquo|rsaquo|ldquo|rdquo|lsquo|rsquo|sbquo|bdquo|hellip|mdash|ndash|minus|copy|reg|trade|deg|times|divide|middot|bull|sect|para|dagger|Dagger|permil|prime|Prime|iexcl|iquest|cent|pound|yen|euro|curren|brvbar|shy|macr|acute|cedil|uml|plusmn|sup[123]|frac1[24]|frac34|not|ensp|emsp|thinsp|zwnj|zwj|lowast|larr|rarr|uarr|darr|harr|colon|comma|period|excl|quest|num|dollar|percnt|ast|plus|equals|sol|bsol|lpar|rpar|lsqb|rsqb|lcub|rcub|verbar|Tab|NewLine)$/;

/** The characters of HTML that a reader would see, for direction detection only. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(
      /&(?:#(\d+)|#x([\da-f]+)|([a-z][a-z\d]*));/gi,
      (_m, dec, hex, name: string | undefined) => {
        const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : undefined;
        // HTML maps references beyond Unicode (or to surrogates) to U+FFFD; so do we.
        if (code !== undefined) {
          return code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
            ? "\uFFFD"
            : String.fromCodePoint(code);
        }
        const known = NAMED[name as string];
        if (known !== undefined) return known;
        return NEUTRAL_NAMED.test(name as string) ? " " : "a";
      },
    );
}
