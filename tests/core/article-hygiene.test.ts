/**
 * The smaller items of issue #12 (item 7), in the pure core: lead image sizes that every
 * format can write, absolute author URLs, no backslashes or control characters in any
 * URL, balanced bidi controls in plain text, media origins, length bounds on every
 * field, strict UTF-8 offsets, and the content's direction mark inside its first block.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Article, LIMITS, validateArticle } from "../../src/core/article.ts";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { placeMark, toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { findUnsafeMarkup, renderBodyHtml } from "../../src/core/html.ts";
import { isWellFormedLanguageTag } from "../../src/core/language.ts";
import { ConfigError, parseSiteConfig } from "../../src/core/site.ts";
import type { StoredArticle } from "../../src/core/stored-article.ts";
import { findUnbalancedBidi, firstInvalidUtf8Offset } from "../../src/core/text.ts";

const VARS = {
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار القدس",
  SITE_DESCRIPTION: "آخر الأخبار",
  SITE_LANGUAGE: "ar",
};
const site = parseSiteConfig(VARS);

function article(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "عنوان",
    summary: "ملخص",
    body: "نص.",
    language: "ar",
    authors: [{ name: "سعيد عريقات", slug: "saeed-ereikat" }],
    published: "2020-01-07T09:00:00+02:00",
    ...overrides,
  };
}

/** The refusal of one field: its message, or undefined when the article is accepted. */
function refusal(input: Record<string, unknown>, path: string, options = {}): string | undefined {
  const result = validateArticle(input, "a", options);
  if (result.ok) return undefined;
  return (
    result.errors.find((e) => e.path === path)?.message ??
    `(other: ${JSON.stringify(result.errors)})`
  );
}

const image = (fields: Record<string, unknown>) =>
  article({ image: { url: "/lead.jpg", type: "image/jpeg", alt: "", ...fields } });

describe("lead image sizes are safe integers", () => {
  it.each([
    ["length", 1e21, "whole number of bytes below 2^53"],
    ["width", 1e21, "whole number of pixels below 2^53"],
    ["height", 2 ** 53, "below 2^53"],
    ["length", 1.5, "whole number"],
    ["length", -1, "must not be negative"],
    ["width", 0, "must be positive"],
    ["height", Number.NaN, "must be a number"],
  ])("%s = %s is refused", (key, value, message) => {
    expect(refusal(image({ [key]: value }), `image.${key}`)).toContain(message);
  });

  it("0 bytes (unknown, as RSS writes it) and the largest safe integer are accepted", () => {
    expect(refusal(image({ length: 0, width: 1, height: Number.MAX_SAFE_INTEGER }), "image")).toBe(
      undefined,
    );
  });

  it("a record that bypassed ingestion with 1e21 writes no exponent in any format", () => {
    const record: StoredArticle = {
      schemaVersion: 1,
      slug: "big",
      created: "2020-01-01T00:00:00Z",
      updated: "2020-01-01T00:00:00Z",
      seq: 1,
      article: {
        ...(article() as unknown as Article),
        categories: [],
        format: "markdown",
        image: {
          url: "/lead.jpg",
          type: "image/jpeg",
          alt: "",
          length: 1e21,
          width: 1e21,
          height: 600,
        },
      },
    };
    const entry = toFeedEntry(site, record, renderBodyHtml(site, "نص.", "markdown"));
    expect(entry.image).toEqual({
      url: "https://news.example/lead.jpg",
      type: "image/jpeg",
      alt: "",
      height: 600,
    });
    const doc = buildScopeFeed({ site, scope: { kind: "site" }, entries: [entry], tombstones: [] });
    for (const xml of [renderRss(doc), renderAtom(doc)]) expect(xml).not.toMatch(/e\+\d/);
    expect(renderRss(doc)).toContain('<enclosure url="https://news.example/lead.jpg" length="0"');
  });
});

describe("URLs: absolute author URLs, no backslashes or control characters anywhere", () => {
  const authorUrl = (url: string) =>
    refusal(article({ authors: [{ name: "سعيد", slug: "saeed", url }] }), "authors.0.url");

  it.each([
    ["/authors/saeed", "must be an absolute http(s) URL"],
    ["saeed.html", "must be an absolute http(s) URL"],
    ["javascript:alert(1)", "must be an absolute http(s) URL"],
    ["https:\\\\evil.example/", "contains a backslash (U+005C) at character 7"],
    ["https://example.com/\\evil", "a backslash"],
    ["https://example.com/a\tb", "a control character (U+0009)"],
    ["https://example.com/\u202Eexe.gpj", "a direction control (U+202E)"],
    ["https://example.com/\uD800", "a lone surrogate (U+D800)"],
    ["https://example.com/a b", "a space (U+0020)"],
    [`https://example.com/${"a".repeat(LIMITS.url)}`, `at most ${LIMITS.url} characters`],
  ])("author url %j is refused", (url, message) => {
    expect(authorUrl(url)).toContain(message);
  });

  it("an absolute author URL is accepted", () => {
    expect(authorUrl("https://example.com/saeed")).toBeUndefined();
  });

  it.each([
    ["/\\evil.example/lead.jpg", "a backslash (U+005C) at character 2"],
    ["/images/\u0000.jpg", "a control character"],
    ["/images/\u0085.jpg", "a control character (U+0085)"],
    ["//evil.example/lead.jpg", "a path starting with /"],
  ])("lead image url %j is refused", (url, message) => {
    expect(refusal(image({ url }), "image.url")).toContain(message);
  });

  it("links in bodies: a backslash or control character is refused, and dropped when rendering", () => {
    for (const href of [
      "/\\evil.example/",
      "&#92;&#92;evil.example/",
      "java&#9;script:alert(1)",
      "/a\u0001b",
    ]) {
      const body = `<p><a href="${href}">رابط</a></p>`;
      expect(findUnsafeMarkup(site, body, "html").join(" "), href).toMatch(
        /contains a (backslash|control character)/,
      );
      expect(renderBodyHtml(site, body, "html"), href).toBe("<p><a>رابط</a></p>");
    }
    // Before, "/\evil.example/" passed as a path and became another host.
    expect(new URL("/\\evil.example/x", "https://news.example/").host).toBe("evil.example");
  });
});

describe("bidi controls in plain text must balance", () => {
  const RLO = "\u202E";
  const PDF = "\u202C";
  const LRI = "\u2066";
  const PDI = "\u2069";
  const fields = ["title", "summary", "dateline", "source"] as const;

  it.each(fields)("an unclosed U+202E in the %s is refused with its position", (field) => {
    const message = refusal(article({ [field]: `مرحبا ${RLO}olleh` }), field);
    expect(message).toContain("U+202E RIGHT-TO-LEFT OVERRIDE at character 7");
    expect(message).toContain("not closed by U+202C POP DIRECTIONAL FORMATTING");
    expect(message).toContain("U+200F RIGHT-TO-LEFT MARK");
  });

  it("in names, labels and alt text too; not in the body (its blocks end every embedding)", () => {
    expect(
      refusal(article({ authors: [{ name: `${LRI}Saeed`, slug: "s" }] }), "authors.0.name"),
    ).toContain("U+2066 LEFT-TO-RIGHT ISOLATE at character 1");
    expect(
      refusal(article({ categories: [{ slug: "p", label: `سياسة${PDF}` }] }), "categories.0.label"),
    ).toContain("U+202C POP DIRECTIONAL FORMATTING at character 6, which closes no embedding");
    expect(refusal(image({ alt: `${PDI}صورة` }), "image.alt")).toContain("closes no isolate");
    expect(refusal(article({ body: `نص ${RLO}` }), "body")).toBeUndefined();
  });

  it("balanced pairs and the marks are accepted", () => {
    for (const title of [
      `قالت ${LRI}Google${PDI} إن الخدمة ستتوقف`,
      `${RLO}abc${PDF} و \u2067نص\u2069`,
      "\u200FCNN: خبر",
      "\u200E2020 \u061C",
    ])
      expect(refusal(article({ title }), "title"), title).toBeUndefined();
  });

  it("a pair split by a line break, a mismatched closer, or nesting deeper than 16 is refused", () => {
    expect(findUnbalancedBidi(`${LRI}a\nb${PDI}`)?.codePoint).toBe("U+2066");
    expect(findUnbalancedBidi(`${LRI}a${PDF}`)?.problem).toContain("closes no embedding");
    expect(findUnbalancedBidi(`${LRI.repeat(16)}a${PDI.repeat(16)}`)).toBeUndefined();
    expect(findUnbalancedBidi(`${LRI.repeat(17)}a${PDI.repeat(17)}`)?.problem).toContain(
      "nested 17 deep",
    );
  });
});

describe("media origins", () => {
  it("defaults to the site's own origin", () => {
    expect(site.mediaOrigins).toEqual(["https://news.example"]);
    expect(
      parseSiteConfig({ ...VARS, SITE_URL: "http://localhost:8787/news/" }).mediaOrigins,
    ).toEqual(["http://localhost:8787"]);
  });

  it("MEDIA_ORIGINS lists origins; anything else is a ConfigError naming it", () => {
    const cdn = parseSiteConfig({
      ...VARS,
      MEDIA_ORIGINS: "https://cdn.example https://news.example/",
    });
    expect(cdn.mediaOrigins).toEqual(["https://cdn.example", "https://news.example"]);
    for (const bad of [
      "cdn.example",
      "https://cdn.example/images",
      "ftp://cdn.example",
      "https://cdn.example/?a",
    ]) {
      expect(() => parseSiteConfig({ ...VARS, MEDIA_ORIGINS: bad }), bad).toThrow(ConfigError);
      expect(() => parseSiteConfig({ ...VARS, MEDIA_ORIGINS: bad }), bad).toThrow(/MEDIA_ORIGINS/);
    }
  });

  it("a lead image on another host is refused at ingestion, naming the host and how to allow it", () => {
    const message = refusal(image({ url: "https://evil.example/lead.jpg" }), "image.url", { site });
    expect(message).toContain("is on evil.example");
    expect(message).toContain("add https://evil.example to MEDIA_ORIGINS in wrangler.toml");
    expect(refusal(image({ url: "/lead.jpg" }), "image.url", { site })).toBeUndefined();
    const cdn = parseSiteConfig({ ...VARS, MEDIA_ORIGINS: "https://cdn.example" });
    expect(
      refusal(image({ url: "https://cdn.example/a.jpg" }), "image.url", { site: cdn }),
    ).toBeUndefined();
    // Stored records are read without the setting: changing it cannot make them unreadable.
    expect(refusal(image({ url: "https://evil.example/lead.jpg" }), "image.url")).toBeUndefined();
  });

  it("an <img> in a body on another host is refused; links stay free", () => {
    const body =
      '<p><img src="https://evil.example/x.png" alt="x"><a href="https://evil.example/">رابط</a></p>';
    expect(findUnsafeMarkup(site, body, "html")).toEqual([
      expect.stringContaining('<img src="https://evil.example/x.png"> is on evil.example'),
    ]);
    expect(findUnsafeMarkup(site, "![صورة](https://evil.example/x.png)", "markdown")).toHaveLength(
      1,
    );
    expect(findUnsafeMarkup(site, "![صورة](/images/x.png)", "markdown")).toEqual([]);
  });
});

describe("every text field has a length bound", () => {
  it("a language tag of 36 characters is refused (RFC 5646 §4.4.1), one of 35 is accepted", () => {
    const tag35 = "en-x-abcdefgh-abcdefgh-abcdefgh-abc";
    expect(tag35).toHaveLength(35);
    expect(isWellFormedLanguageTag(tag35)).toBe(true);
    expect(refusal(article({ language: tag35 }), "language")).toBeUndefined();
    expect(refusal(article({ language: `${tag35}d` }), "language")).toContain(
      "at most 35 characters",
    );
    expect(refusal(article({ language: "a".repeat(994) }), "language")).toContain("at most 35");
  });

  it("author e-mail, published, and the read-only url, created and updated", () => {
    const email = `${"a".repeat(250)}@b.cd`;
    expect(
      refusal(article({ authors: [{ name: "س", slug: "s", email }] }), "authors.0.email"),
    ).toContain("at most 254");
    expect(
      refusal(article({ published: `2020-01-07T09:00:00.${"0".repeat(80)}Z` }), "published"),
    ).toContain("at most 64");
    expect(refusal(article({ url: "x".repeat(2001) }), "url")).toContain("at most 2000");
    expect(refusal(article({ created: "x".repeat(65) }), "created")).toContain("at most 64");
    expect(refusal(article({ updated: "x".repeat(65) }), "updated")).toContain("at most 64");
  });
});

describe("firstInvalidUtf8Offset", () => {
  it.each([
    [[0x7b, 0xc3, 0x28], 1],
    [[0xe2, 0x82], 0],
    [[0x61, 0xed, 0xa0, 0x80], 1], // a surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0xc0, 0xaf], 0], // overlong
    [[0x61, 0x80], 1],
    [[0x61, 0xff], 1],
    [[0xd8, 0xa7, 0x61], -1],
  ])("%j → %i", (bytes, offset) => {
    expect(firstInvalidUtf8Offset(new Uint8Array(bytes))).toBe(offset);
  });

  it("agrees with TextDecoder's fatal mode on any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        const offset = firstInvalidUtf8Offset(bytes);
        let valid = true;
        try {
          new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(offset === -1).toBe(valid);
        if (offset > 0)
          new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes.slice(0, offset));
      }),
      { seed: 20261201, numRuns: 5000 },
    );
  });
});

describe("the content's direction mark is inside its first block", () => {
  const RLM = "\u200F";
  it.each([
    ["<p>CNN: خبر</p>", `<p>${RLM}CNN: خبر</p>`],
    ['<h2 dir="ltr">Title</h2><p>نص</p>', `<h2 dir="ltr">${RLM}Title</h2><p>نص</p>`],
    ["<ul>\n<li>One</li>\n</ul>", `<ul>\n<li>${RLM}One</li>\n</ul>`],
    ["<blockquote>\n<p>“We”</p>\n</blockquote>", `<blockquote>\n<p>${RLM}“We”</p>\n</blockquote>`],
    ["<table>\n<thead>\n<tr>\n<th>A</th>", `<table>\n<thead>\n<tr>\n<th>${RLM}A</th>`],
    [
      '<p><a href="https://e.example/">e.example</a> نص</p>',
      `<p>${RLM}<a href="https://e.example/">e.example</a> نص</p>`,
    ],
    ["iPhone", `${RLM}iPhone`],
    ['<img src="https://news.example/a.png">', `${RLM}<img src="https://news.example/a.png">`],
    ["<table><tbody></tbody></table>", `${RLM}<table><tbody></tbody></table>`],
  ])("%j", (html, expected) => {
    expect(placeMark(html, RLM)).toBe(expected);
  });

  it("no mark, no change", () => {
    expect(placeMark("<p>نص</p>", "")).toBe("<p>نص</p>");
  });
});
