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
import type { Direction } from "./language.ts";

export const RLM = "\u200F";
export const LRM = "\u200E";

// Strong right-to-left (bidi classes R and AL): letters and spacing marks of the
// right-to-left scripts, plus RLM and ALM. Digits and punctuation of those scripts are
// weak or neutral and must not count.
const STRONG_RTL =
  /[[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mende_Kikakui}\p{Script=Yezidi}\p{Script=Old_South_Arabian}\p{Script=Imperial_Aramaic}\p{Script=Phoenician}\p{Script=Avestan}\p{Script=Kharoshthi}]&&[\p{L}\p{Mc}\p{Lm}]]|[\u200F\u061C]/v;
// Strong left-to-right (class L): every other letter, spacing mark and LRM.
const STRONG_LTR = /[\p{L}\p{Mc}\u200E]/v;

const ISOLATE_OPEN = /[\u2066\u2067\u2068]/;
const ISOLATE_CLOSE = "\u2069";

/**
 * The direction `dir="auto"` would give this text: its first strong character outside
 * isolates, or undefined when there is none.
 */
export function firstStrongDirection(text: string): Direction | undefined {
  let depth = 0;
  for (const ch of text) {
    if (ISOLATE_OPEN.test(ch)) {
      depth++;
      continue;
    }
    if (ch === ISOLATE_CLOSE) {
      if (depth > 0) depth--;
      continue;
    }
    if (depth > 0) continue;
    if (STRONG_RTL.test(ch)) return "rtl";
    if (STRONG_LTR.test(ch)) return "ltr";
  }
  return undefined;
}

/** The mark to put in front of `text` so that first-strong detection gives `direction`. */
export function directionMarkFor(text: string, direction: Direction): string {
  const detected = firstStrongDirection(text);
  // No strong character at all resolves left-to-right, so right-to-left needs a mark.
  if (direction === "rtl") return detected === "rtl" ? "" : RLM;
  return detected === "rtl" ? LRM : "";
}

/** Plain text anchored to `direction`. */
export function anchorText(text: string, direction: Direction): string {
  return directionMarkFor(text, direction) + text;
}

/** The characters of HTML that a reader would see, for direction detection only. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&(?:#(\d+)|#x([\da-f]+)|([a-z]+));/gi, (_m, dec, hex, name) => {
      const code = dec ? Number(dec) : hex ? Number.parseInt(hex, 16) : undefined;
      // HTML maps references beyond Unicode (or to surrogates) to U+FFFD; so do we.
      if (code !== undefined)
        return code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)
          ? "\uFFFD"
          : String.fromCodePoint(code);
      return name === "nbsp" ? "\u00A0" : " ";
    });
}
