/**
 * The article: one schema for `content/` files and the admin API, so the two can never
 * accept different things. Validation also normalises (NFC, LF line ends) so that equal
 * text is stored as equal bytes; characters XML 1.0 forbids are refused, not dropped,
 * because silently changing an editor's text is a surprise.
 */
import * as v from "valibot";
import { isIsoDateTimeWithZone, toEpochMs } from "./dates.ts";
import { isMediaOrigin, mediaOriginAdvice } from "./html.ts";
import { checkLanguageTag } from "./language.ts";
import type { SiteConfig } from "./site.ts";
import { findUnbalancedBidi, findUrlForbidden, findXmlForbidden, normalizeText } from "./text.ts";
import { resolveHttpUrl, SLUG_MAX, SLUG_PATTERN } from "./urls.ts";

export { SLUG_MAX, SLUG_PATTERN };

/** Limits are documented in the README (API section). */
export const LIMITS = {
  title: 300,
  shortTitle: 150,
  summary: 1_000,
  body: 200_000,
  name: 200,
  label: 100,
  dateline: 100,
  source: 200,
  alt: 500,
  authors: 20,
  categories: 20,
  correction: 1_000,
  corrections: 20,
  /** RFC 5646 §4.4.1: implementations need not handle longer tags. */
  language: 35,
  /** RFC 5321 §4.5.3.1: 64 + "@" + 255, less the angle brackets of a path. */
  email: 254,
  url: 2_000,
  /** Date-times: the longest ISO 8601 form with fractions and a zone is far shorter. */
  dateTime: 64,
} as const;

const describe = (cp: { codePoint: string; index: number }) =>
  `contains ${cp.codePoint} at character ${cp.index + 1}, which XML 1.0 forbids (control characters other than tab and newline, lone surrogates, U+FFFE, U+FFFF)`;

const describeBidi = (cp: { codePoint: string; index: number; what: string; problem?: string }) =>
  `contains ${cp.codePoint} ${cp.what} at character ${cp.index + 1}, ${cp.problem}: bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) must be closed in the same line of the same field, or they reverse the text shown after it; close or remove it, or use U+200F RIGHT-TO-LEFT MARK, U+200E LEFT-TO-RIGHT MARK or U+061C ARABIC LETTER MARK, which need no closing`;

/**
 * A text field: XML-safe (and, for plain text, with its bidi controls balanced), then
 * NFC/LF-normalised, then length-checked (each check is one pass over the text).
 */
function text(min: number, max: number, { plain = true } = {}) {
  return v.pipe(
    v.string("must be a string"),
    v.rawCheck(({ dataset, addIssue }) => {
      if (dataset.typed) {
        const bad = findXmlForbidden(dataset.value);
        const bidi = bad || !plain ? undefined : findUnbalancedBidi(dataset.value);
        if (bad) addIssue({ message: describe(bad) });
        else if (bidi) addIssue({ message: describeBidi(bidi) });
      }
    }),
    v.transform(normalizeText),
    v.check(
      (s) => s.trim().length >= min,
      min === 1 ? "must not be empty" : `must have at least ${min} characters`,
    ),
    v.maxLength(max, `must be at most ${max} characters`),
  );
}

const slug = v.pipe(
  v.string("must be a string"),
  v.maxLength(SLUG_MAX, `must be at most ${SLUG_MAX} characters`),
  v.regex(
    SLUG_PATTERN,
    "must be lowercase ASCII letters and digits separated by single hyphens, e.g. esper-iraq-letter",
  ),
);

const describeUrlCharacter = (bad: { codePoint: string; index: number; what: string }) =>
  `contains ${bad.what} (${bad.codePoint}) at character ${bad.index + 1}; URLs may not contain backslashes, spaces, control characters or direction controls (percent-encode them)`;

/** No character a URL may not hold (backslash, space, control, direction control). */
const urlCharacters = v.rawCheck<string>(({ dataset, addIssue }) => {
  if (!dataset.typed) return;
  const bad = findUrlForbidden(dataset.value, { spaces: true });
  if (bad) addIssue({ message: describeUrlCharacter(bad) });
});

const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
};

/** An absolute http(s) URL or a path on SITE_URL. */
const httpUrlOrPath = v.pipe(
  v.string("must be a string"),
  v.maxLength(LIMITS.url, `must be at most ${LIMITS.url} characters`),
  urlCharacters,
  v.check((s) => {
    if (s.startsWith("/")) return !s.startsWith("//");
    return isHttpUrl(s);
  }, "must be an absolute http(s) URL or a path starting with /"),
);

/** An absolute http(s) URL: a relative one would resolve against whichever feed shows it. */
const absoluteHttpUrl = v.pipe(
  v.string("must be a string"),
  v.maxLength(LIMITS.url, `must be at most ${LIMITS.url} characters`),
  urlCharacters,
  v.check(isHttpUrl, "must be an absolute http(s) URL, e.g. https://example.com/author"),
);

const dateTime = v.pipe(
  v.string("must be a string"),
  v.maxLength(LIMITS.dateTime, `must be at most ${LIMITS.dateTime} characters`),
  v.check(
    isIsoDateTimeWithZone,
    "must be an ISO 8601 date-time with a zone, e.g. 2020-01-07T09:00:00+03:00 or 2020-01-07T06:00:00Z",
  ),
);

const languageTag = v.pipe(
  v.string("must be a string"),
  v.maxLength(
    LIMITS.language,
    `must be at most ${LIMITS.language} characters (RFC 5646 §4.4.1), e.g. "ar" or "az-Arab"`,
  ),
  // Checked against the languages the runtime knows, and stored in canonical form.
  v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) {
      const checked = checkLanguageTag(dataset.value);
      if (!checked.ok) addIssue({ message: checked.message });
    }
  }),
  v.transform((tag) => {
    const checked = checkLanguageTag(tag);
    return checked.ok ? checked.tag : tag;
  }),
);

const AuthorSchema = v.strictObject({
  name: text(1, LIMITS.name),
  slug,
  email: v.optional(
    v.pipe(
      v.string("must be a string"),
      v.maxLength(LIMITS.email, `must be at most ${LIMITS.email} characters`),
      v.email("must be an e-mail address"),
    ),
  ),
  url: v.optional(absoluteHttpUrl),
});

const CategorySchema = v.strictObject({
  slug,
  label: text(1, LIMITS.label),
});

/** A whole number that every format writes as digits (no `1e+21`): a safe integer. */
const count = (min: number, what: string) =>
  v.pipe(
    v.number("must be a number"),
    v.check(
      (n: number) => Number.isSafeInteger(n),
      `must be a whole number of ${what} below 2^53 (9007199254740992)`,
    ),
    v.minValue(min, min === 0 ? "must not be negative" : "must be positive"),
  );

const ImageSchema = v.strictObject({
  url: httpUrlOrPath,
  type: v.picklist(
    ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"],
    "must be one of image/jpeg, image/png, image/gif, image/webp, image/avif",
  ),
  /** Bytes; 0 when unknown, as RSS writes it. */
  length: v.optional(count(0, "bytes")),
  width: v.optional(count(1, "pixels")),
  height: v.optional(count(1, "pixels")),
  alt: text(0, LIMITS.alt),
});

/**
 * What an editor writes. `slug`, `url`, `created` and `updated` are read-only: the API
 * returns them and accepts them back unchanged (a GET → PUT round trip changes nothing),
 * but the server decides their values.
 */
export const ArticleSchema = v.strictObject({
  title: text(1, LIMITS.title),
  /** For partners with a title range (MSN 20–150, Apple News 15–60): used where the title is out of it. */
  shortTitle: v.optional(text(1, LIMITS.shortTitle)),
  summary: text(1, LIMITS.summary),
  body: text(1, LIMITS.body, { plain: false }),
  format: v.optional(v.picklist(["markdown", "html"], 'must be "markdown" or "html"'), "markdown"),
  language: languageTag,
  authors: v.pipe(
    v.array(AuthorSchema, "must be a list of {name, slug}"),
    v.minLength(1, "must name at least one author"),
    v.maxLength(LIMITS.authors, `must have at most ${LIMITS.authors} authors`),
  ),
  dateline: v.optional(text(1, LIMITS.dateline)),
  source: v.optional(text(1, LIMITS.source)),
  published: dateTime,
  categories: v.optional(
    v.pipe(
      v.array(CategorySchema, "must be a list of {slug, label}"),
      v.maxLength(LIMITS.categories, `must have at most ${LIMITS.categories} categories`),
    ),
    [],
  ),
  image: v.optional(ImageSchema),
  /** Kept out of every public document until set to false (or removed). */
  draft: v.optional(v.boolean("must be true or false")),
  /** When the article is retracted by itself (an embargo's end, a wire's takedown). */
  expires: v.optional(dateTime),
  /** Corrections, oldest first: shown at the end of the article everywhere it appears. */
  corrections: v.optional(
    v.pipe(
      v.array(
        v.strictObject({ date: dateTime, text: text(1, LIMITS.correction) }),
        "must be a list of {date, text}",
      ),
      v.maxLength(LIMITS.corrections, `must have at most ${LIMITS.corrections} corrections`),
    ),
  ),
  // Read-only fields, accepted so that what GET returns can be PUT back as it is.
  slug: v.optional(slug),
  url: v.optional(
    v.pipe(
      v.string("must be a string"),
      v.maxLength(LIMITS.url, `must be at most ${LIMITS.url} characters`),
    ),
  ),
  created: v.optional(
    v.pipe(
      v.string("must be a string"),
      v.maxLength(LIMITS.dateTime, `must be at most ${LIMITS.dateTime} characters`),
    ),
  ),
  updated: v.optional(
    v.pipe(
      v.string("must be a string"),
      v.maxLength(LIMITS.dateTime, `must be at most ${LIMITS.dateTime} characters`),
    ),
  ),
  status: v.optional(
    v.pipe(v.string("must be a string"), v.maxLength(16, "must be at most 16 characters")),
  ),
});

type Parsed = v.InferOutput<typeof ArticleSchema>;
/** A validated, normalised article as an editor wrote it (read-only fields removed). */
export type Article = Omit<Parsed, "slug" | "url" | "created" | "updated" | "status">;
export type Author = Article["authors"][number];
export type Category = Article["categories"][number];
export type LeadImage = NonNullable<Article["image"]>;

export interface FieldError {
  /** Dotted path, e.g. `authors.0.slug`; `(root)` for the whole document. */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; article: Article } | { ok: false; errors: FieldError[] };

/** Plain wording for valibot's structural issues; our own messages pass through. */
function messageOf(issue: v.BaseIssue<unknown>, path: string): string {
  if (issue.type === "strict_object" || issue.type === "object") {
    if (path === "(root)") return "must be a JSON object";
    if (issue.expected === "never") return "is not a field of an article";
    if (issue.received === "undefined") return "is required";
  }
  return issue.message;
}

/**
 * Validates one article; `slug` is where it will live (URL or file name). With `site`
 * (ingestion: the API and content files), what depends on the site's settings is checked
 * too: the lead image must be on a media origin. Stored records are read without it, so
 * a changed setting cannot make them unreadable.
 */
export function validateArticle(
  input: unknown,
  slugFromLocation: string,
  { site }: { site?: SiteConfig } = {},
): ValidationResult {
  const errors: FieldError[] = [];
  if (!SLUG_PATTERN.test(slugFromLocation) || slugFromLocation.length > SLUG_MAX) {
    errors.push({
      path: "slug",
      message: `"${slugFromLocation}" must be lowercase ASCII letters and digits separated by single hyphens, at most ${SLUG_MAX} characters`,
    });
  }
  // valibot's object schemas accept arrays (as objects with index keys): refuse them here.
  if (Array.isArray(input))
    return { ok: false, errors: [...errors, { path: "(root)", message: "must be a JSON object" }] };
  const result = v.safeParse(ArticleSchema, input, { abortPipeEarly: true });
  if (!result.success) {
    for (const issue of result.issues) {
      const path = v.getDotPath(issue) ?? "(root)";
      errors.push({ path, message: messageOf(issue, path) });
    }
  } else if (result.output.slug !== undefined && result.output.slug !== slugFromLocation) {
    errors.push({
      path: "slug",
      message: `is "${result.output.slug}" but the article lives at "${slugFromLocation}"`,
    });
  }
  if (result.success && result.output.expires !== undefined) {
    if (toEpochMs(result.output.expires) <= toEpochMs(result.output.published))
      errors.push({ path: "expires", message: "must be later than published" });
  }
  if (result.success && site && result.output.image) {
    const url = resolveHttpUrl(site, result.output.image.url);
    if (url && !isMediaOrigin(site, url))
      errors.push({ path: "image.url", message: mediaOriginAdvice(site, url) });
  }
  if (errors.length > 0 || !result.success) return { ok: false, errors };
  const { slug: _s, url: _u, created: _c, updated: _up, status: _st, ...article } = result.output;
  return { ok: true, article };
}
