/**
 * The RTL corpus end to end through the pure core: each tricky headline and body is
 * stored as an article, rendered into the site's RSS, Atom and JSON Feed, read back by
 * several real parsers, and judged by independent first-strong oracles on bidi-js's
 * Unicode data — UAX #9 P2/P3 (isolates skipped) and the browsers' `dir="auto"` rule
 * (isolates not skipped) — never by src/core/bidi.ts itself. Every field must resolve
 * to the item's direction by both rules.
 */
import { decodeHTML } from "entities";
import { describe, expect, it } from "vitest";
import { type Article, validateArticle } from "../../src/core/article.ts";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderJsonFeed } from "../../src/core/feeds/render-json-feed.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { renderBodyHtml } from "../../src/core/html.ts";
import { parseSiteConfig } from "../../src/core/site.ts";
import { SCHEMA_VERSION, type StoredArticle } from "../../src/core/stored-article.ts";
import { findUnbalancedBidi } from "../../src/core/text.ts";
import type { FeedFormat } from "../../src/core/urls.ts";
import { type ParsedFeed, parseAll } from "../../tools/feed-parsers.ts";
import {
  browserDirection,
  browserFirstStrong,
  CORPUS,
  type CorpusItem,
  type Direction,
  MARKS,
  type Mark,
  oracleDirection,
  oracleFirstStrong,
  oracleMark,
  uba,
} from "../support/rtl-corpus.ts";

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار القدس",
  SITE_DESCRIPTION: "آخر الأخبار من غرفة الأخبار",
  SITE_LANGUAGE: "ar",
});

/** Parsers that report text exactly as the document holds it. */
const EXACT = new Set(["strict-xml", "JSON.parse"]);

/** Repeated HTML entity decoding, then trimming: lenient parsers decode and trim. */
function lenient(text: string): string {
  let previous: string;
  let current = text;
  do {
    previous = current;
    current = decodeHTML(current);
  } while (current !== previous);
  return current.trim();
}

/** The text a reader shows for HTML: tags dropped, character references decoded. */
function readerText(html: string): string {
  return decodeHTML(html.replace(/<[^>]*>/g, ""));
}

function inputOf(item: CorpusItem, seq: number) {
  return {
    title: item.title,
    summary: item.summary,
    body: item.body,
    format: item.format,
    language: item.language,
    authors: [{ name: "مراسل الأخبار", slug: "reporter" }],
    published: `2020-01-${String((seq % 28) + 1).padStart(2, "0")}T09:00:00+03:00`,
    categories: [{ slug: "news", label: "أخبار" }],
  };
}

/** Items whose title or summary has a bidi control that is not closed (or closes nothing). */
const unbalanced = (item: CorpusItem) =>
  findUnbalancedBidi(item.title) !== undefined || findUnbalancedBidi(item.summary) !== undefined;

function storedArticle(item: CorpusItem, seq: number): StoredArticle {
  const checked = validateArticle(inputOf(item, seq), item.id);
  // Ingestion refuses unbalanced bidi controls (tested below); the renderers must still
  // anchor a record that holds them, stored some other way, so it is used as written.
  if (!checked.ok && !unbalanced(item))
    throw new Error(`${item.id}: ${JSON.stringify(checked.errors)}`);
  return {
    schemaVersion: SCHEMA_VERSION,
    slug: item.id,
    article: checked.ok ? checked.article : (inputOf(item, seq) as Article),
    created: "2020-01-01T00:00:00Z",
    updated: "2020-02-01T00:00:00Z",
    seq,
  };
}

const bodies = new Map(
  CORPUS.map((item) => [item.id, renderBodyHtml(site, item.body, item.format)]),
);
const entries = CORPUS.map((item, i) =>
  toFeedEntry(site, storedArticle(item, i + 1), bodies.get(item.id) as string),
);
const doc = buildScopeFeed({ site, scope: { kind: "site" }, entries, tombstones: [] });
const documents: Record<FeedFormat, string> = {
  rss: renderRss(doc),
  atom: renderAtom(doc),
  json: renderJsonFeed(doc),
};
const FORMATS: FeedFormat[] = ["rss", "atom", "json"];
const parsed = Object.fromEntries(
  FORMATS.map((format) => [format, parseAll(documents[format], format)]),
) as Record<FeedFormat, ParsedFeed[]>;

/** Checks one plain-text field as one parser read it. */
function checkText(
  where: string,
  parser: string,
  got: string | undefined,
  original: string,
  mark: Mark,
  direction: Direction,
): void {
  expect(got, `${where}: missing`).toBeTypeOf("string");
  const text = got as string;
  const expected = MARKS[mark] + original;
  if (EXACT.has(parser)) {
    expect(text, where).toBe(expected);
    // Stripping the one mark that was added gives back exactly what the editor wrote.
    if (mark) {
      expect(text.slice(0, 1), where).toMatch(/^[\u200E\u200F]$/);
      expect(text.slice(1), where).toBe(original);
    }
  } else {
    expect(lenient(text), where).toBe(lenient(expected));
  }
  // Text that already resolves to the item's direction by both rules gets no mark.
  if (oracleDirection(original) === direction && browserDirection(original) === direction)
    expect(mark, where).toBe("");
  expect(oracleDirection(text), `${where}: first-strong direction of ${JSON.stringify(text)}`).toBe(
    direction,
  );
  expect(browserDirection(text), `${where}: dir=auto direction of ${JSON.stringify(text)}`).toBe(
    direction,
  );
}

function checkContent(
  where: string,
  parser: string,
  got: string | undefined,
  item: CorpusItem,
): void {
  expect(got, `${where}: missing`).toBeTypeOf("string");
  const html = got as string;
  const bodyHtml = bodies.get(item.id) as string;
  const mark = MARKS[item.marks.content];
  const wrapper = `<div dir="${item.direction}" lang="${item.language}">`;
  if (EXACT.has(parser)) {
    const inner = /^<div dir="(?:rtl|ltr)" lang="[^"]*">([\s\S]*)<\/div>$/.exec(html)?.[1] ?? "";
    expect(html, where).toBe(`${wrapper}${inner}</div>`);
    const at = mark ? inner.indexOf(mark) : 0;
    expect(at, `${where}: the mark`).toBeGreaterThanOrEqual(0);
    expect(
      inner.slice(0, at) + inner.slice(at + mark.length),
      `${where}: the body without the mark`,
    ).toBe(bodyHtml);
    // The mark is inside the first block that holds text, never a line of its own before it.
    expect(inner.slice(0, at), `${where}: before the mark`).toMatch(
      /^(?:<(?:p|h[1-6]|ul|ol|li|blockquote|div|figure|pre|table|thead|tbody|tr|th|td)\b[^>]*>\s*)*$/,
    );
    if (mark && /^<(?:p|h[1-6]|ul|ol|li|blockquote|div)\b/.test(bodyHtml))
      expect(at, `${where}: the mark inside the first block`).toBeGreaterThan(0);
  } else {
    const text = readerText(html);
    const at = mark ? text.indexOf(mark) : 0;
    expect(lenient(text.slice(0, at) + text.slice(at + mark.length)), where).toBe(
      lenient(readerText(bodyHtml)),
    );
  }
  const bodyText = readerText(bodyHtml);
  if (oracleDirection(bodyText) === item.direction && browserDirection(bodyText) === item.direction)
    expect(item.marks.content, where).toBe("");
  const text = readerText(html);
  expect(oracleDirection(text), `${where}: first-strong direction of ${JSON.stringify(text)}`).toBe(
    item.direction,
  );
  expect(browserDirection(text), `${where}: dir=auto direction of ${JSON.stringify(text)}`).toBe(
    item.direction,
  );
}

describe("RTL corpus", () => {
  it("has at least 30 cases, Arabic and English, with hand-written marks the oracles agree with", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CORPUS.map((c) => c.id)).size).toBe(CORPUS.length);
    expect(CORPUS.filter((c) => c.language === "en").length).toBeGreaterThanOrEqual(3);
    for (const item of CORPUS) {
      expect(oracleMark(item.title, item.direction), `${item.id} title`).toBe(item.marks.title);
      expect(oracleMark(item.summary, item.direction), `${item.id} summary`).toBe(
        item.marks.summary,
      );
      expect(
        oracleMark(readerText(bodies.get(item.id) as string), item.direction),
        `${item.id} content`,
      ).toBe(item.marks.content);
    }
  });

  it("the oracle agrees with bidi-js's full UBA paragraph level on every marked BMP title and summary", () => {
    let compared = 0;
    for (const item of CORPUS) {
      for (const [field, text] of [
        ["title", MARKS[item.marks.title] + item.title],
        ["summary", MARKS[item.marks.summary] + item.summary],
        ["title unmarked", item.title],
      ] as const) {
        if (/[\u{10000}-\u{10FFFF}\n]/u.test(text)) continue;
        compared++;
        expect(uba(text), `${item.id} ${field}`).toBe(oracleDirection(text));
      }
    }
    expect(compared).toBeGreaterThan(60);
  });

  it("feeds declare Arabic at feed level and the item's own language where it differs", () => {
    for (const format of FORMATS) {
      for (const feed of parsed[format]) {
        if (feed.language !== undefined)
          expect(feed.language, `${format} ${feed.parser}`).toBe("ar");
        expect(feed.items, `${format} ${feed.parser}`).toHaveLength(CORPUS.length);
      }
    }
    const [rssStrict] = parsed.rss;
    const [atomStrict] = parsed.atom;
    const [jsonPlain] = parsed.json;
    CORPUS.forEach((item, i) => {
      const own = item.language === "ar" ? undefined : item.language;
      expect(rssStrict?.items[i]?.language, `${item.id} rss dc:language`).toBe(own);
      expect(atomStrict?.items[i]?.language, `${item.id} atom xml:lang`).toBe(item.language);
      expect(jsonPlain?.items[i]?.language, `${item.id} json language`).toBe(own);
    });
  });

  for (const [i, item] of CORPUS.entries()) {
    describe(`${item.id}: ${item.what}`, () => {
      for (const format of FORMATS) {
        const test = item.bug ? it.fails : it;
        const name = item.bug ? `${format} (known bug: ${item.bug})` : format;
        test(name, () => {
          for (const feed of parsed[format]) {
            const got = feed.items[i];
            const where = `${format} ${feed.parser} ${item.id}`;
            expect(got, where).toBeDefined();
            if (!got) continue;
            checkText(
              `${where} title`,
              feed.parser,
              got.title,
              item.title,
              item.marks.title,
              item.direction,
            );
            checkText(
              `${where} summary`,
              feed.parser,
              got.summary,
              item.summary,
              item.marks.summary,
              item.direction,
            );
            checkContent(`${where} content`, feed.parser, got.content, item);
          }
        });
      }
    });
  }

  // Browsers resolve dir="auto" by the HTML rule (ICU ubidi_getBaseDirection): the first
  // L/R/AL character, isolates NOT skipped. UAX #9 P2 skips them. A title that opens with
  // an isolate of the other direction (or an unclosed one) needs a mark for the browsers
  // even where P2 alone would not.
  const ISOLATE_LED = ["isolated-latin", "en-isolated-arabic", "en-unclosed-isolate"];

  it("every title resolves to the item's direction by the browsers' dir=auto rule", () => {
    const [rss] = parsed.rss;
    CORPUS.forEach((item, i) => {
      if (item.bug) return;
      const title = rss?.items[i]?.title ?? "";
      expect(browserDirection(title), `${item.id}: ${JSON.stringify(title)}`).toBe(item.direction);
    });
  });

  for (const id of ISOLATE_LED) {
    it(`${id}: a title that opens with an isolate of the other direction gets a mark, and resolves to the item's direction by both rules in every parser`, () => {
      const i = CORPUS.findIndex((item) => item.id === id);
      const item = CORPUS[i] as CorpusItem;
      // Without the mark, the browsers' rule gives the other direction.
      expect(browserDirection(item.title)).not.toBe(item.direction);
      expect(item.marks.title).toBe(item.direction === "rtl" ? "RLM" : "LRM");
      for (const feed of [...parsed.rss, ...parsed.atom, ...parsed.json]) {
        const title = feed.items[i]?.title ?? "";
        expect(
          title.startsWith(MARKS[item.marks.title]),
          `${feed.parser}: ${JSON.stringify(title)}`,
        ).toBe(true);
        expect(browserDirection(title), `${feed.parser}: ${JSON.stringify(title)}`).toBe(
          item.direction,
        );
        expect(oracleDirection(title), `${feed.parser}: ${JSON.stringify(title)}`).toBe(
          item.direction,
        );
      }
    });
  }

  it("P2 and the browsers' rule differ only on titles that open with an isolate", () => {
    const differing = CORPUS.filter(
      (item) => browserFirstStrong(item.title) !== oracleFirstStrong(item.title),
    ).map((item) => item.id);
    expect(differing).toEqual([
      "isolated-latin",
      "unclosed-isolate",
      "en-isolated-arabic",
      "en-unclosed-isolate",
    ]);
  });
});

describe("ingestion refuses the corpus's unbalanced bidi controls", () => {
  const refused = CORPUS.filter(unbalanced);
  it("has such items (an isolate never closed, a closer with nothing open)", () => {
    expect(refused.map((item) => item.id)).toEqual(
      expect.arrayContaining(["unclosed-isolate", "en-unclosed-isolate"]),
    );
  });
  it.each(refused.map((item) => [item.id, item] as const))("%s", (_id, item) => {
    const checked = validateArticle(inputOf(item, 1), item.id);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    for (const field of ["title", "summary"] as const) {
      const bad = findUnbalancedBidi(item[field]);
      const error = checked.errors.find((e) => e.path === field);
      if (!bad) expect(error).toBeUndefined();
      else
        expect(error?.message).toContain(
          `${bad.codePoint} ${bad.what} at character ${bad.index + 1}`,
        );
    }
  });
});
