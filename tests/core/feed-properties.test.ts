/**
 * Property-based tests of the pure core's feeds with arbitrary Unicode in every text
 * field (title, summary, body as Markdown and HTML, author name, category label,
 * dateline): XML well-formedness by a strict parser, parsing by real feed parsers, the
 * JSON Feed 1.1 schema, and an exact model of what happens to the text on the way.
 *
 * Two paths are modelled:
 * - a record that bypassed ingestion (written to KV by something else): the renderers
 *   strip what XML 1.0 forbids and put a direction mark in front where either UAX #9
 *   P2/P3 (isolates skipped) or the browsers' `dir="auto"` rule (isolates not skipped)
 *   disagrees with the item's direction;
 * - the admin API path (validateArticle): a field with a forbidden character is refused,
 *   naming the code point and its position counted in characters (code points);
 *   accepted text is NFC with LF line ends.
 *
 * Seeded: FC_SEED=<n> replays a run; the seed in use is printed.
 */
import { DecodingMode, decodeHTML, decodeHTMLStrict } from "entities";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS, validateArticle } from "../../src/core/article.ts";
import { anchorText, LRM, RLM } from "../../src/core/bidi.ts";
import { renderArticleDoc } from "../../src/core/documents.ts";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { type FeedEntry, toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderJsonFeed } from "../../src/core/feeds/render-json-feed.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { findUnsafeMarkup, renderBodyHtml } from "../../src/core/html.ts";
import { type Direction, directionOf } from "../../src/core/language.ts";
import { parseSiteConfig } from "../../src/core/site.ts";
import { SCHEMA_VERSION, type StoredArticle } from "../../src/core/stored-article.ts";
import type { FeedFormat, FeedScope } from "../../src/core/urls.ts";
import { PARSERS, type ParsedFeed, parseWith, validateJsonFeed } from "../../tools/feed-parsers.ts";
import { browserDirection, oracleDirection } from "../support/rtl-corpus.ts";

const SEED = Number(process.env.FC_SEED ?? 20261130);
console.log(
  `feed-properties.test.ts: fast-check seed ${SEED} (replay: FC_SEED=${SEED} npx vitest run tests/core/feed-properties.test.ts)`,
);

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار القدس",
  SITE_DESCRIPTION: "آخر الأخبار",
  SITE_LANGUAGE: "ar",
});

// ---- the model ---------------------------------------------------------------------

/** XML 1.0 §2.2 Char, checked per UTF-16 unit with surrogate pairing. */
function firstForbidden(text: string): { index: number; code: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { index: i, code: c };
    }
    const forbidden =
      (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) ||
      (c >= 0xdc00 && c <= 0xdfff) ||
      c === 0xfffe ||
      c === 0xffff;
    if (forbidden) return { index: i, code: c };
  }
  return undefined;
}

/** What the renderers leave of a text: every XML-forbidden unit removed. */
function stripped(text: string): string {
  let out = "";
  let rest = text;
  for (let hit = firstForbidden(rest); hit; hit = firstForbidden(rest)) {
    out += rest.slice(0, hit.index);
    rest = rest.slice(hit.index + 1);
  }
  return out + rest;
}

/** XML 1.0 §2.11 end-of-line handling, which every XML parser applies to text. */
const xmlEol = (text: string) => text.replace(/\r\n?/g, "\n");

/**
 * What lenient feed parsers must keep: they trim, and decode HTML references in text
 * again, each with its own decoder (`&#0;` gives U+0000 in one and U+FFFD in another;
 * `&#2020` without a semicolon is decoded by some and not by others). So they are
 * compared on the letters and digits of the fully decoded text, in order, decoding
 * either strictly or as HTML does (legacy references without semicolons).
 */
function lenientKeys(text: string): string[] {
  return [decodeHTMLStrict, (t: string) => decodeHTML(t, DecodingMode.Legacy)].map((decode) => {
    let previous: string;
    let current = text;
    do {
      previous = current;
      current = decode(current);
    } while (current !== previous);
    return current.replace(/[^\p{L}\p{N}]/gu, "");
  });
}

function expectLenientlyEqual(got: string, want: string, where: string): void {
  const a = lenientKeys(got);
  const b = lenientKeys(want);
  const same = a.some((key) => b.includes(key));
  expect(same, `${where}: ${JSON.stringify(got)} vs ${JSON.stringify(want)}`).toBe(true);
}

const NUMBER_LIKE = /^[-+]?(?:0x[\da-f]+|\d*\.?\d+(?:e[-+]?\d+)?)$/i;

/** A field as it is read back: exactly the text, or the text behind one direction mark. */
function expectAnchored(
  got: string | undefined,
  text: string,
  direction: Direction,
  where: string,
) {
  expect(got, where).toBeTypeOf("string");
  const mark = direction === "rtl" ? RLM : LRM;
  expect(
    [text, mark + text],
    `${where}: ${JSON.stringify(got)} vs ${JSON.stringify(text)}`,
  ).toContain(got);
  // The mark is there exactly when either rule disagrees with the item's direction, and
  // the text read back resolves to it by both.
  const agrees = oracleDirection(text) === direction && browserDirection(text) === direction;
  expect(got === text, `${where}: mark iff needed`).toBe(agrees);
  expect(oracleDirection(got as string), `${where}: P2/P3 direction`).toBe(direction);
  expect(browserDirection(got as string), `${where}: dir=auto direction`).toBe(direction);
}

// ---- arbitraries -------------------------------------------------------------------

const SPECIAL = [
  RLM,
  LRM,
  "\u061C",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u202A",
  "\u202B",
  "\u202C",
  "\u202D",
  "\u202E",
  "\u200B",
  "\u200C",
  "\u200D",
  "\uFEFF",
  "\u00A0",
  "\u2028",
  "\u2029",
  "\u0085",
  "\u0000",
  "\u0001",
  "\u0008",
  "\u000B",
  "\u000C",
  "\u001F",
  "\u007F",
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uDFFF",
  "\r",
  "\r\n",
  "\n",
  "\t",
  " ",
  "]]>",
  "<![CDATA[",
  "-->",
  "&",
  "&amp;",
  "&lt;",
  "&#x627;",
  "&#0;",
  "&#x110000;",
  "&#xD800;",
  "&lrm;",
  "<",
  ">",
  '"',
  "'",
  "<b>",
  "</p>",
  "<script>",
  "\\",
  "*",
  "#",
  "ا",
  "ل",
  "ש",
  "CNN",
  "2020",
  "٢٠٢٠",
  "🔴",
  "e\u0301",
  "\u0627\u0653",
  "\u212B",
  "\uFB50",
];

const unitOfSpecial = fc.constantFrom(...SPECIAL);
const oneCodePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme-composite", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: unitOfSpecial, maxLength: 16 }) },
  {
    weight: 3,
    arbitrary: fc.string({ unit: fc.oneof(unitOfSpecial, oneCodePoint), maxLength: 24 }),
  },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.oneof(unitOfSpecial, oneCodePoint),
      minLength: 400,
      maxLength: 1500,
    }),
  },
);

const LANGUAGES = ["ar", "en", "he", "fa", "ar-Latn", "az-Arab", "az"];

interface Fields {
  title: string;
  summary: string;
  body: string;
  format: "markdown" | "html";
  language: string;
  name: string;
  label: string;
  dateline: string;
}

const fieldsArb: fc.Arbitrary<Fields> = fc.record({
  title: anyText,
  summary: anyText,
  body: anyText,
  format: fc.constantFrom("markdown" as const, "html" as const),
  language: fc.constantFrom(...LANGUAGES),
  name: anyText,
  label: anyText,
  dateline: anyText,
});

/** Text without bidi embeddings, overrides and isolates (ingestion wants them balanced). */
const withoutBidiControls = (text: string) => text.replace(/[\u202A-\u202E\u2066-\u2069]/g, "");
const acceptable = fc
  .tuple(anyText, fc.constantFrom("ا", "A", "ש", "1", "🔴", "é"), anyText)
  .map(
    ([before, visible, after]) =>
      stripped(withoutBidiControls(before)) + visible + stripped(withoutBidiControls(after)),
  );

/**
 * Mostly acceptable text (something visible, nothing forbidden, bidi controls only in
 * balanced pairs), sometimes anything.
 */
const apiText = fc.oneof(
  { weight: 5, arbitrary: acceptable },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          ["\u2066", "\u2069"],
          ["\u2067", "\u2069"],
          ["\u2068", "\u2069"],
          ["\u202B", "\u202C"],
          ["\u202E", "\u202C"],
        ),
        acceptable,
        acceptable,
      )
      .map(
        ([[open, close], inside, after]) => `${open}${inside.replace(/\n/g, " ")}${close}${after}`,
      ),
  },
  { weight: 1, arbitrary: anyText },
);

const apiFieldsArb: fc.Arbitrary<Fields> = fc.record({
  title: apiText,
  summary: apiText,
  body: apiText,
  format: fc.constantFrom("markdown" as const, "html" as const),
  language: fc.constantFrom(...LANGUAGES),
  name: apiText,
  label: apiText,
  dateline: apiText,
});

// ---- rendering ---------------------------------------------------------------------

function record(fields: Fields, i: number): StoredArticle {
  return {
    schemaVersion: SCHEMA_VERSION,
    slug: `article-${i + 1}`,
    created: "2020-01-01T00:00:00Z",
    updated: "2020-01-02T00:00:00Z",
    seq: i + 1,
    article: {
      title: fields.title,
      summary: fields.summary,
      body: fields.body,
      format: fields.format,
      language: fields.language,
      authors: [{ name: fields.name, slug: `author-${i + 1}` }],
      published: `2020-01-0${(i % 9) + 1}T09:00:00+03:00`,
      categories: [{ slug: `category-${i + 1}`, label: fields.label }],
      ...(fields.dateline ? { dateline: fields.dateline } : {}),
    },
  };
}

interface Rendered {
  documents: Record<FeedFormat, string>;
  feeds: Record<FeedFormat, ParsedFeed[]>;
  entries: FeedEntry[];
  feedTitle: string;
}

function render(items: Fields[], scope: FeedScope, label: string | undefined): Rendered {
  const entries = items.map((fields, i) =>
    toFeedEntry(site, record(fields, i), renderBodyHtml(site, fields.body, fields.format)),
  );
  const doc = buildScopeFeed({
    site,
    scope,
    ...(label !== undefined ? { label } : {}),
    entries,
    tombstones: [],
  });
  const documents = { rss: renderRss(doc), atom: renderAtom(doc), json: renderJsonFeed(doc) };
  const feeds = {} as Record<FeedFormat, ParsedFeed[]>;
  for (const format of ["rss", "atom", "json"] as const) {
    feeds[format] = PARSERS[format].map((parser) => {
      try {
        return parseWith(parser, documents[format], format);
      } catch (error) {
        throw new Error(`${format} does not parse with ${parser}: ${(error as Error).message}`);
      }
    });
  }
  return { documents, feeds, entries, feedTitle: doc.title };
}

/** Well-formedness, parsing, schema validity and item counts. */
function checkDocuments(r: Rendered, count: number): void {
  expect(validateJsonFeed(r.documents.json)).toEqual([]);
  for (const format of ["rss", "atom", "json"] as const) {
    for (const feed of r.feeds[format]) {
      expect(feed.items, `${format} ${feed.parser}`).toHaveLength(count);
      if (feed.language !== undefined) expect(feed.language, `${format} ${feed.parser}`).toBe("ar");
    }
  }
}

/**
 * RSS title and description text is HTML-escaped before it is XML-escaped (readers
 * take them as HTML; README "Plain text in RSS"): the text an XML parser reads, one
 * level of `&amp;` and `&lt;` decoded.
 */
const rssHtmlText = (s: string | undefined) =>
  s?.replace(/&(amp|lt);/g, (_m, name: string) => (name === "amp" ? "&" : "<"));

/**
 * Exact round trip of every text field through the strict XML parser and JSON.parse,
 * and up to trimming and reference decoding through the lenient parsers.
 */
function checkFields(r: Rendered, items: Fields[]): void {
  const [rssStrict, ...rssLenient] = r.feeds.rss;
  const [atomStrict, ...atomLenient] = r.feeds.atom;
  const [jsonPlain, ...jsonLenient] = r.feeds.json;
  // The feed's own title (it carries a category label or an author name).
  expect(rssHtmlText(rssStrict?.title)).toBe(xmlEol(stripped(r.feedTitle)));
  expect(atomStrict?.title).toBe(xmlEol(stripped(r.feedTitle)));
  expect(jsonPlain?.title).toBe(stripped(r.feedTitle));

  items.forEach((fields, i) => {
    const direction = directionOf(fields.language);
    const title = stripped(fields.title);
    const summary = stripped(fields.summary);
    const rss = rssStrict?.items[i];
    const atom = atomStrict?.items[i];
    const json = jsonPlain?.items[i];
    const entry = r.entries[i] as FeedEntry;

    expectAnchored(rssHtmlText(rss?.title), xmlEol(title), direction, "rss title");
    expectAnchored(atom?.title, xmlEol(title), direction, "atom title");
    expectAnchored(json?.title, title, direction, "json title");
    expectAnchored(rssHtmlText(rss?.summary), xmlEol(summary), direction, "rss description");
    expectAnchored(atom?.summary, xmlEol(summary), direction, "atom summary");
    expectAnchored(json?.summary, summary, direction, "json summary");
    // The same mark in every format.
    expect(rssHtmlText(rss?.title)).toBe(xmlEol(json?.title ?? ""));
    expect(rssHtmlText(rss?.title)).toBe(xmlEol(stripped(anchorText(fields.title, direction))));

    // Content: one wrapper carrying direction and language; the same HTML in every format.
    const wrapper = `<div dir="${direction}" lang="${fields.language}">`;
    for (const content of [rss?.content, atom?.content, json?.content]) {
      expect(content?.startsWith(wrapper), `content wrapper: ${content?.slice(0, 60)}`).toBe(true);
      expect(content?.endsWith("</div>")).toBe(true);
    }
    expect(rss?.content).toBe(xmlEol(json?.content ?? ""));
    expect(atom?.content).toBe(xmlEol(json?.content ?? ""));
    expect(json?.content).toBe(stripped(entry.contentHtml));

    // Author names and category labels. In Atom the label is an attribute: tabs and line
    // breaks are written as character references, which attribute-value normalisation
    // (XML 1.0 §3.3.3) and end-of-line handling leave alone, so it reads back exactly.
    const name = stripped(fields.name);
    const label = stripped(fields.label);
    expect(rss?.authors).toEqual([xmlEol(name)]);
    expect(atom?.authors).toEqual([xmlEol(name)]);
    expect(json?.authors).toEqual([name]);
    expect(rss?.categories).toEqual([xmlEol(label)]);
    expect(atom?.categories).toEqual([label]);
    expect(json?.categories).toEqual([label]);

    // The item's language where it differs from the feed's.
    const own = fields.language === "ar" ? undefined : fields.language;
    expect(rss?.language).toBe(own);
    expect(atom?.language).toBe(fields.language);
    expect(json?.language).toBe(own);

    // Lenient parsers: the same text once trimmed and reference-decoded.
    for (const [feeds, strict] of [
      [rssLenient, rss],
      [atomLenient, atom],
      [jsonLenient, json],
    ] as const) {
      for (const feed of feeds) {
        const got = feed.items[i];
        const where = `${feed.parser} item ${i}`;
        for (const field of ["title", "summary"] as const) {
          const want = strict?.[field] ?? "";
          // extractus reads number-like text as a number ("0" becomes "", "0x1f" "31").
          if (feed.parser === "@extractus/feed-extractor" && NUMBER_LIKE.test(want.trim()))
            continue;
          expectLenientlyEqual(got?.[field] ?? "", want, `${where} ${field}`);
        }
        expectLenientlyEqual(got?.content ?? "", strict?.content ?? "", `${where} content`);
      }
    }
  });
}

/** The dateline appears on the article page escaped, and adds no markup. */
function checkDateline(fields: Fields): void {
  const rec = record(fields, 0);
  const entry = toFeedEntry(site, rec, renderBodyHtml(site, fields.body, fields.format));
  const page = renderArticleDoc(site, rec, entry).body;
  const plain = renderArticleDoc(
    site,
    { ...rec, article: { ...rec.article, dateline: "x" } },
    entry,
  ).body;
  const count = (s: string) => s.split("<").length;
  expect(count(page)).toBe(count(plain));
  if (fields.dateline) {
    const escaped = stripped(anchorText(fields.dateline, directionOf(fields.language))).replace(
      /[&<>"]/g,
      (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch] as string,
    );
    expect(page).toContain(escaped);
  }
}

const scopeArb = fc.constantFrom("site", "category", "author");

function scopeOf(kind: string, first: Fields): { scope: FeedScope; label?: string } {
  if (kind === "category")
    return { scope: { kind: "category", slug: "category-1" }, label: first.label };
  if (kind === "author") return { scope: { kind: "author", slug: "author-1" }, label: first.name };
  return { scope: { kind: "site" } };
}

// ---- the API path model ----------------------------------------------------------------

interface FieldModel {
  path: string;
  raw: string;
  min: number;
  max: number;
  /** Plain text (not the body): bidi embeddings, overrides and isolates must balance. */
  plain?: boolean;
}

/**
 * The first bidi control of a plain-text field that does not balance, as ingestion
 * judges it: an embedding or override (U+202A, U+202B, U+202D, U+202E) closed by U+202C,
 * an isolate (U+2066–U+2068) by U+2069, innermost first, within one line, at most 16 deep.
 */
function firstUnbalanced(text: string): { index: number; code: number } | undefined {
  const open: { index: number; code: number }[] = [];
  const units = [...text];
  for (const [index, ch] of units.entries()) {
    const code = ch.codePointAt(0) as number;
    if ("\n\r\u0085\u2029\u001c\u001d\u001e".includes(ch)) {
      if (open.length > 0) return open[0];
    } else if (code === 0x202c || code === 0x2069) {
      const top = open.pop();
      if (!top || top.code >= 0x2066 !== (code === 0x2069)) return { index, code };
    } else if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2068)) {
      open.push({ index, code });
      if (open.length > 16) return { index, code };
    }
  }
  return open[0];
}

/** What validateArticle does to one text field: refuse, or normalise. */
function modelField(f: FieldModel): { ok: true; value: string } | { ok: false; message: RegExp } {
  const bad = firstForbidden(f.raw);
  if (bad) {
    const code = bad.code.toString(16).toUpperCase().padStart(4, "0");
    // Counted in characters (code points), as an editor counts them, from 1.
    const position = [...f.raw.slice(0, bad.index)].length + 1;
    return { ok: false, message: new RegExp(`U\\+${code} at character ${position}\\b`) };
  }
  const bidi = f.plain ? firstUnbalanced(f.raw) : undefined;
  if (bidi) {
    const code = bidi.code.toString(16).toUpperCase().padStart(4, "0");
    return { ok: false, message: new RegExp(`U\\+${code} .* at character ${bidi.index + 1}, `) };
  }
  const value = f.raw.normalize("NFC").replace(/\r\n?/g, "\n");
  if (value.trim().length < f.min) return { ok: false, message: /must not be empty|at least/ };
  if (value.length > f.max) return { ok: false, message: /at most/ };
  return { ok: true, value };
}

// ---- properties --------------------------------------------------------------------------

describe("feeds from arbitrary text (pure core)", () => {
  it("a record that bypassed ingestion: well-formed, parseable, valid, text preserved but for forbidden characters and one mark", () => {
    fc.assert(
      fc.property(fc.array(fieldsArb, { minLength: 1, maxLength: 3 }), scopeArb, (items, kind) => {
        const { scope, label } = scopeOf(kind, items[0] as Fields);
        const r = render(items, scope, label);
        checkDocuments(r, items.length);
        checkFields(r, items);
        checkDateline(items[0] as Fields);
      }),
      { seed: SEED, numRuns: 700 },
    );
  }, 120_000);

  it("the API path: forbidden characters refused with their code point, the rest NFC/LF-normalised and preserved", () => {
    let acceptedCount = 0;
    fc.assert(
      fc.property(apiFieldsArb, fc.boolean(), (fields, withDateline) => {
        const models: FieldModel[] = [
          { path: "title", raw: fields.title, min: 1, max: LIMITS.title, plain: true },
          { path: "summary", raw: fields.summary, min: 1, max: LIMITS.summary, plain: true },
          { path: "body", raw: fields.body, min: 1, max: LIMITS.body },
          { path: "authors.0.name", raw: fields.name, min: 1, max: LIMITS.name, plain: true },
          {
            path: "categories.0.label",
            raw: fields.label,
            min: 1,
            max: LIMITS.label,
            plain: true,
          },
          ...(withDateline
            ? [
                {
                  path: "dateline",
                  raw: fields.dateline,
                  min: 1,
                  max: LIMITS.dateline,
                  plain: true,
                },
              ]
            : []),
        ];
        const result = validateArticle(toInput(fields, withDateline), "article-1");
        const expected = models.map((m) => ({ m, out: modelField(m) }));
        const refused = expected.filter((e) => !e.out.ok);
        if (refused.length > 0) {
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(result.errors.map((e) => e.path).sort(), JSON.stringify(result.errors)).toEqual(
            refused.map((e) => e.m.path).sort(),
          );
          for (const { m, out } of refused) {
            const error = result.errors.find((e) => e.path === m.path);
            if (!out.ok) expect(error?.message, m.path).toMatch(out.message);
          }
          return;
        }
        expect(result.ok, JSON.stringify(result.ok ? "" : result.errors)).toBe(true);
        if (!result.ok) return;
        const value = (path: string) => {
          const e = expected.find((x) => x.m.path === path);
          return e?.out.ok ? e.out.value : "";
        };
        const article = result.article;
        expect(article.title).toBe(value("title"));
        expect(article.summary).toBe(value("summary"));
        expect(article.body).toBe(value("body"));
        expect(article.authors[0]?.name).toBe(value("authors.0.name"));
        expect(article.categories[0]?.label).toBe(value("categories.0.label"));
        if (withDateline) expect(article.dateline).toBe(value("dateline"));
        // Through the API the body must also be safe markup; otherwise it is refused.
        if (findUnsafeMarkup(site, article.body, article.format).length > 0) return;

        const normalised: Fields = {
          ...fields,
          title: article.title,
          summary: article.summary,
          body: article.body,
          name: article.authors[0]?.name ?? "",
          label: article.categories[0]?.label ?? "",
          dateline: article.dateline ?? "",
        };
        acceptedCount++;
        const r = render([normalised], { kind: "site" }, undefined);
        checkDocuments(r, 1);
        checkFields(r, [normalised]);
        // Accepted text has nothing left for the renderers to strip or for XML to fold:
        // the strict parser reads back exactly the NFC text, behind at most one mark.
        const direction = directionOf(fields.language);
        for (const feed of [r.feeds.rss[0], r.feeds.atom[0], r.feeds.json[0]]) {
          const read = feed?.items[0]?.title ?? "";
          const title = feed === r.feeds.rss[0] ? (rssHtmlText(read) ?? "") : read;
          expect(title).toBe(anchorText(article.title, direction));
          expect(title.normalize("NFC")).toBe(title);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
    // Most generated articles must get through, or the rendering half proves nothing.
    console.log(`feed-properties.test.ts: API path accepted ${acceptedCount} of 500 articles`);
    expect(acceptedCount).toBeGreaterThan(100);
  }, 120_000);

  it("very long fields (the API's maximum lengths) render, parse and validate", () => {
    const unit = "CNN: خبر «عاجل» & <b>2020</b> ]]> 🔴\n";
    const fields: Fields = {
      title: `CNN ${"خبر ".repeat(80)}`.slice(0, LIMITS.title),
      summary: "2020 ".repeat(200).slice(0, LIMITS.summary),
      body: unit.repeat(Math.floor(LIMITS.body / unit.length)),
      format: "markdown",
      language: "ar",
      name: "ا".repeat(LIMITS.name),
      label: "<&>".repeat(33),
      dateline: "القدس".repeat(20),
    };
    const items = [fields, { ...fields, format: "html" as const, language: "en" }];
    for (const item of items) expect(validateArticle(toInput(item), "long").ok).toBe(true);
    const r = render(items, { kind: "site" }, undefined);
    checkDocuments(r, 2);
    checkFields(r, items);
    checkDateline(fields);
  }, 60_000);
});

/** The API input for `fields`; an empty dateline is left out unless `withDateline` says. */
function toInput(fields: Fields, withDateline = fields.dateline !== ""): Record<string, unknown> {
  return {
    title: fields.title,
    summary: fields.summary,
    body: fields.body,
    format: fields.format,
    language: fields.language,
    authors: [{ name: fields.name, slug: "author-1" }],
    categories: [{ slug: "category-1", label: fields.label }],
    published: "2020-01-07T09:00:00+03:00",
    ...(withDateline ? { dateline: fields.dateline } : {}),
  };
}
