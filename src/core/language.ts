/**
 * Language tags (BCP 47 / RFC 5646) and the text direction they imply.
 *
 * Direction follows the tag's script: an explicit script subtag decides (`az-Arab` is
 * right-to-left, `ar-Latn` is not); otherwise the language's default script does.
 */

export type Direction = "rtl" | "ltr";

// RFC 5646 §2.1 "langtag" (well-formedness only; registry validity is not checked so
// that new subtags keep working). Grandfathered irregular tags are not accepted.
const LANGTAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+)$/i;

export function isWellFormedLanguageTag(tag: string): boolean {
  return LANGTAG.test(tag);
}

/** RFC 5646 §4.4.1: implementations should support tags of at least 35 characters. */
export const LANGUAGE_TAG_MAX = 35;

const EXAMPLES = '"ar", "ar-PS", "en" or "az-Arab"';

/**
 * A language tag as an editor or an operator wrote it, checked against the languages
 * the runtime knows (ICU through Intl) and canonicalised: `AR` becomes `ar`; an alias
 * (`ara`, `arb`, `iw`) is refused with the tag to use, so what is stored is what readers
 * get; a well-formed word that names no language (`arabic`) is refused rather than
 * silently making the site left-to-right.
 */
export function checkLanguageTag(
  tag: string,
): { ok: true; tag: string } | { ok: false; message: string } {
  if (tag.length > LANGUAGE_TAG_MAX)
    return { ok: false, message: `must be at most ${LANGUAGE_TAG_MAX} characters` };
  let canonical: string;
  try {
    if (!isWellFormedLanguageTag(tag)) throw new RangeError(tag);
    canonical = Intl.getCanonicalLocales(tag)[0] as string;
  } catch {
    return { ok: false, message: `must be a BCP 47 language tag such as ${EXAMPLES}` };
  }
  const given = (tag.split("-")[0] as string).toLowerCase();
  const locale = new Intl.Locale(canonical);
  const names = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
  const unknown = (language: string | undefined) => {
    if (!language || language === "und") return true;
    try {
      return names.of(language) === undefined;
    } catch {
      return true;
    }
  };
  if (locale.language !== given && !unknown(locale.language)) {
    return { ok: false, message: `"${tag}" is an alias: use "${canonical}"` };
  }
  if (unknown(locale.language) || unknown(given)) {
    return {
      ok: false,
      message: `"${given}" is not a language this runtime knows; use a code such as ${EXAMPLES}`,
    };
  }
  const regions = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
  if (locale.region && regions.of(locale.region) === undefined) {
    return { ok: false, message: `"${locale.region}" is not a region this runtime knows` };
  }
  return { ok: true, tag: canonical };
}

/** Scripts written right-to-left (ISO 15924 codes). */
const RTL_SCRIPTS = new Set([
  "adlm",
  "arab",
  "aran",
  "hebr",
  "mand",
  "mend",
  "nkoo",
  "rohg",
  "samr",
  "syrc",
  "thaa",
  "yezi",
]);

/** Languages whose default script is right-to-left (CLDR likely subtags). */
const RTL_LANGUAGES = new Set([
  // Arabic and its varieties
  "ar",
  "arb",
  "arz",
  "ary",
  "arq",
  "aeb",
  "apc",
  "apd",
  "acm",
  "afb",
  "ajp",
  "acw",
  "ayl",
  "ars",
  "shu",
  "ssh",
  "abv",
  "acx",
  "adf",
  "aec",
  "auz",
  "avl",
  "pga",
  // Hebrew, Yiddish, Aramaic, Syriac
  "he",
  "iw",
  "yi",
  "ji",
  "arc",
  "syr",
  "jrb",
  "jpr",
  "lad",
  // Persian and neighbours
  "fa",
  "prs",
  "pes",
  "ps",
  "pbt",
  "pbu",
  "ur",
  "sd",
  "ug",
  "ckb",
  "lrc",
  "mzn",
  "glk",
  "bal",
  "bqi",
  "luz",
  "sdh",
  "azb",
  "ks",
  "pnb",
  "skr",
  "khw",
  "bgn",
  "hnd",
  "brh",
  "haz",
  // Thaana, N'Ko, Adlam as default scripts
  "dv",
  "nqo",
]);

/**
 * Language–region pairs whose likely script differs from the language's default
 * (CLDR likely subtags): Azerbaijani in Iran and Punjabi in Pakistan are written in
 * Arabic script, Sindhi in India in Devanagari.
 */
const REGION_DIRECTION: Record<string, Direction> = {
  "az-ir": "rtl",
  "az-iq": "rtl",
  "pa-pk": "rtl",
  "uz-af": "rtl",
  "tg-pk": "rtl",
  "ms-cc": "rtl",
  "sd-in": "ltr",
  "ks-in": "rtl",
};

/** `rtl` or `ltr` for a BCP 47 tag; unknown languages are left-to-right. */
export function directionOf(tag: string): Direction {
  const subtags = tag.toLowerCase().split("-");
  const language = subtags[0] ?? "";
  // The script subtag, if any, is the first 4-letter subtag right after the language
  // and its optional extlangs.
  for (const subtag of subtags.slice(1)) {
    if (/^[a-z]{4}$/.test(subtag)) return RTL_SCRIPTS.has(subtag) ? "rtl" : "ltr";
    if (/^[a-z]{2}$/.test(subtag))
      return REGION_DIRECTION[`${language}-${subtag}`] ?? defaultDirection(language);
    if (!/^[a-z]{3}$/.test(subtag)) break;
  }
  return defaultDirection(language);
}

function defaultDirection(language: string): Direction {
  return RTL_LANGUAGES.has(language) ? "rtl" : "ltr";
}

/** The primary language subtag, lower case: "ar" of "ar-PS", "az" of "az-Arab". */
export function primaryLanguage(tag: string): string {
  return (tag.split("-")[0] ?? "").toLowerCase();
}
