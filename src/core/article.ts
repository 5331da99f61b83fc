/**
 * The article: one schema for `content/` files and the admin API, so the two can never
 * accept different things. Validation also normalises (NFC, LF line ends) so that equal
 * text is stored as equal bytes; characters XML 1.0 forbids are refused, not dropped,
 * because silently changing an editor's text is a surprise.
 */
import * as v from "valibot";
import { isIsoDateTimeWithZone, toEpochMs } from "./dates.ts";
import { isWellFormedLanguageTag } from "./language.ts";
import { findXmlForbidden, normalizeText } from "./text.ts";

import { SLUG_MAX, SLUG_PATTERN } from "./urls.ts";

export { SLUG_MAX, SLUG_PATTERN };

/** Limits are documented in the README (API section). */
export const LIMITS = {
  title: 300,
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
} as const;

const describe = (cp: { codePoint: string; index: number }) =>
  `contains ${cp.codePoint} at character ${cp.index + 1}, which XML 1.0 forbids (control characters other than tab and newline, lone surrogates, U+FFFE, U+FFFF)`;

/** A text field: XML-safe, then NFC/LF-normalised, then length-checked. */
function text(min: number, max: number) {
  return v.pipe(
    v.string("must be a string"),
    v.rawCheck(({ dataset, addIssue }) => {
      if (dataset.typed) {
        const bad = findXmlForbidden(dataset.value);
        if (bad) addIssue({ message: describe(bad) });
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

const httpUrl = v.pipe(
  v.string("must be a string"),
  v.maxLength(2_000, "must be at most 2000 characters"),
  v.check((s) => {
    if (s.startsWith("/")) return !s.startsWith("//");
    try {
      const u = new URL(s);
      return u.protocol === "https:" || u.protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL or a path starting with /"),
);

const dateTime = v.pipe(
  v.string("must be a string"),
  v.check(
    isIsoDateTimeWithZone,
    "must be an ISO 8601 date-time with a zone, e.g. 2020-01-07T09:00:00+03:00 or 2020-01-07T06:00:00Z",
  ),
);

const languageTag = v.pipe(
  v.string("must be a string"),
  v.check(isWellFormedLanguageTag, 'must be a BCP 47 language tag such as "ar", "en" or "az-Arab"'),
);

const AuthorSchema = v.strictObject({
  name: text(1, LIMITS.name),
  slug,
  email: v.optional(v.pipe(v.string("must be a string"), v.email("must be an e-mail address"))),
  url: v.optional(httpUrl),
});

const CategorySchema = v.strictObject({
  slug,
  label: text(1, LIMITS.label),
});

const ImageSchema = v.strictObject({
  url: httpUrl,
  type: v.picklist(
    ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"],
    "must be one of image/jpeg, image/png, image/gif, image/webp, image/avif",
  ),
  length: v.optional(
    v.pipe(
      v.number("must be a number"),
      v.integer("must be a whole number"),
      v.minValue(1, "must be positive"),
    ),
  ),
  width: v.optional(
    v.pipe(
      v.number("must be a number"),
      v.integer("must be a whole number"),
      v.minValue(1, "must be positive"),
    ),
  ),
  height: v.optional(
    v.pipe(
      v.number("must be a number"),
      v.integer("must be a whole number"),
      v.minValue(1, "must be positive"),
    ),
  ),
  alt: text(0, LIMITS.alt),
});

/**
 * What an editor writes. `slug`, `url`, `created` and `updated` are read-only: the API
 * returns them and accepts them back unchanged (a GET → PUT round trip changes nothing),
 * but the server decides their values.
 */
export const ArticleSchema = v.strictObject({
  title: text(1, LIMITS.title),
  summary: text(1, LIMITS.summary),
  body: text(1, LIMITS.body),
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
  url: v.optional(v.string()),
  created: v.optional(v.string()),
  updated: v.optional(v.string()),
  status: v.optional(v.string()),
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

/** Validates one article; `slug` is where it will live (URL or file name). */
export function validateArticle(input: unknown, slugFromLocation: string): ValidationResult {
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
  if (errors.length > 0 || !result.success) return { ok: false, errors };
  const { slug: _s, url: _u, created: _c, updated: _up, status: _st, ...article } = result.output;
  return { ok: true, article };
}
