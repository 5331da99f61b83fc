/**
 * Golden reference files: every kind of document the publisher serves, rendered through
 * the pure core (src/core/documents.ts) from fixed inputs, compared byte for byte with
 * the files under tests/golden/. Any change to what a feed or page says shows up here
 * as a diff, to be read and accepted on purpose.
 *
 * When a change to the output is intended, rewrite the files and review them in the
 * commit:
 *
 *   UPDATE_GOLDEN=1 npx vitest run tests/core/golden.test.ts
 *
 * Inputs are fixed (no clock): the seed article from content/ (through the content
 * reader, which validates it as the API does), a few articles written here, fixed
 * publication, edit and deletion times. The last block reads every golden feed back
 * with real parsers, so the references are known to be good feeds, not just old output.
 *
 * The same command keeps src/core/render-canary-hash.ts current: the hash of what the
 * renderers output for the render canary, part of every stored document's build
 * fingerprint (see src/core/render-canary.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type DefaultTreeAdapterMap, parse } from "parse5";
import { describe, expect, it } from "vitest";
import type { Article } from "../../src/core/article.ts";
import { catalogEntryOf } from "../../src/core/catalog.ts";
import {
  type RenderedDoc,
  renderArchivePage,
  renderArchiveView,
  renderArticleDoc,
  renderGoneDoc,
  renderHomeDoc,
  renderScopeFeeds,
  renderScopeView,
} from "../../src/core/documents.ts";
import type { ArchiveLayout } from "../../src/core/feeds/archive.ts";
import { type FeedEntry, toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderBodyHtml } from "../../src/core/html.ts";
import { canaryHash } from "../../src/core/render-canary.ts";
import { parseSiteConfig } from "../../src/core/site.ts";
import {
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderSitemapPage,
} from "../../src/core/sitemaps.ts";
import { recordOf, type StoredArticle } from "../../src/core/stored-article.ts";
import { absolute, articlePath, FEED_FILES, type FeedFormat } from "../../src/core/urls.ts";
import { parseContentFile } from "../../tools/content/read-content.ts";
import { parseAll, validateJsonFeed } from "../../tools/feed-parsers.ts";

const GOLDEN = join(import.meta.dirname, "../golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار القدس",
  SITE_DESCRIPTION: "آخر الأخبار والتقارير من غرفة الأخبار",
  SITE_LANGUAGE: "ar",
  SITE_COPYRIGHT: "© القدس دوت كوم",
  SITE_ICON: "https://news.example/icon.png",
  SITE_LOGO: "https://news.example/logo.png",
  WEBSUB_HUBS: "https://hub.example/",
});

// ---- fixed inputs -----------------------------------------------------------------------

const SEED_FILE = "content/articles/esper-denies-iraq-withdrawal-letter.md";

function seedArticle(): { slug: string; article: Article } {
  const parsed = parseContentFile(SEED_FILE, readFileSync(SEED_FILE, "utf8"), site);
  if (!parsed.ok) throw new Error(`${SEED_FILE}: ${JSON.stringify(parsed.errors)}`);
  return parsed.value;
}

/** A stored record as the Publisher makes it: a new article's `updated` is `published`. */
const stored = recordOf;

const entryOf = (record: StoredArticle): FeedEntry =>
  toFeedEntry(site, record, renderBodyHtml(site, record.article.body, record.article.format));

/** Feeds and pages list articles newest first by publication time. */
const newestFirst = (...entries: FeedEntry[]): FeedEntry[] =>
  entries.sort((a, b) => Date.parse(b.published) - Date.parse(a.published));

const seed = seedArticle();
const seedRecord = stored(seed.slug, seed.article, 1);
const seedEntry = entryOf(seedRecord);

const brief: Article = {
  title: "عنوان عربي",
  summary: "ملخص قصير.",
  body: "نص عربي فيه **تأكيد** و[رابط](/articles/esper-denies-iraq-withdrawal-letter).",
  format: "markdown",
  language: "ar",
  authors: [{ name: "رنا الشريف", slug: "rana-al-sharif" }],
  published: "2020-01-06T18:00:00+02:00",
  categories: [{ slug: "politics", label: "سياسة" }],
};

/** An Arabic headline whose first strong character is Latin: it gets a leading RLM. */
const latinFirst: Article = {
  ...brief,
  title: "CNN: البرلمان العراقي يصوت على إخراج القوات الأجنبية",
  summary: "2020 عام حاسم في العلاقات العراقية الأميركية.",
  body: "<p>CNN قالت إن التصويت جرى بالأغلبية.</p>",
  format: "html",
  published: "2020-01-07T08:30:00+02:00",
};

const english: Article = {
  ...brief,
  title: "Pentagon denies withdrawal letter",
  summary: "Esper says there are no plans to leave Iraq.",
  body: "The letter was a *draft*, the chairman said.",
  language: "en",
  authors: [{ name: "Sarah Haddad", slug: "sarah-haddad", url: "https://example.org/sarah" }],
  published: "2020-01-07T10:00:00+02:00",
  categories: [],
};

const azeri: Article = {
  ...brief,
  title: "آذربایجان",
  summary: "خلاصه",
  body: "آذربایجان متنی.",
  language: "az-Arab",
  published: "2020-01-07T08:00:00+02:00",
  categories: [],
};

const withImage: Article = {
  ...brief,
  title: "خبر مع صورة",
  published: "2020-01-08T09:00:00+02:00",
  image: {
    url: "/images/lead.jpg",
    type: "image/jpeg",
    length: 48213,
    width: 1200,
    height: 800,
    alt: "وزير الدفاع الأميركي في مؤتمر صحفي",
  },
};

/** Edited a day after publication: `updated` moves, `published` does not. */
const editedBriefRecord = stored("brief", brief, 2, "2020-01-07T16:00:00Z");
const DELETED_AT = "2020-01-08T10:00:00Z";

const sitemapEntries = [
  stored("with-image", withImage, 4),
  editedBriefRecord,
  seedRecord,
  stored("english", english, 3),
]
  .map((r) => catalogEntryOf(r))
  .sort((a, b) => Date.parse(b.published) - Date.parse(a.published));

const layout = (maxSeq: number): ArchiveLayout => ({ pageSize: site.archivePageSize, maxSeq });
const SITE = { kind: "site" } as const;

// ---- the cases --------------------------------------------------------------------------

interface Case {
  name: string;
  docs: RenderedDoc[];
  /** Entries of each feed document, for the parser check. */
  items?: number;
}

/** The site feed with an English and an az-Arab item beside Arabic ones. */
const mixed = newestFirst(
  seedEntry,
  entryOf(stored("english", english, 2)),
  entryOf(stored("latin-first", latinFirst, 3)),
  entryOf(stored("azeri", azeri, 4)),
);

const CASES: Case[] = [
  {
    name: "seed",
    docs: renderScopeFeeds(site, SITE, undefined, [seedEntry], [], layout(1)),
    items: 1,
  },
  {
    name: "mixed-language",
    docs: renderScopeFeeds(site, SITE, undefined, mixed, [], layout(4)),
    items: 4,
  },
  {
    name: "category",
    docs: renderScopeFeeds(
      site,
      { kind: "category", slug: "politics" },
      "سياسة",
      newestFirst(seedEntry, entryOf(editedBriefRecord)),
      [],
    ),
    items: 2,
  },
  {
    // Page 1 of three articles in pages of two: complete, an RFC 5005 archive document.
    name: "archive",
    docs: renderArchivePage(
      site,
      1,
      { pageSize: 2, maxSeq: 3 },
      newestFirst(seedEntry, entryOf(editedBriefRecord)),
    ),
    items: 2,
  },
  {
    name: "tombstone",
    docs: renderScopeFeeds(
      site,
      SITE,
      undefined,
      [seedEntry],
      [{ id: absolute(site, articlePath("brief")), when: DELETED_AT }],
      layout(2),
    ),
    items: 1,
  },
  {
    name: "lead-image",
    docs: renderScopeFeeds(
      site,
      SITE,
      undefined,
      newestFirst(seedEntry, entryOf(stored("with-image", withImage, 2))),
      [],
      layout(2),
    ),
    items: 2,
  },
  // The browser views: what a browser gets at a feed's URLs instead of the feed.
  {
    name: "site-view",
    docs: [renderScopeView(site, SITE, undefined, mixed, [])],
  },
  {
    name: "category-view",
    docs: [
      renderScopeView(
        site,
        { kind: "category", slug: "politics" },
        "سياسة",
        newestFirst(seedEntry, entryOf(editedBriefRecord)),
        [],
      ),
    ],
  },
  {
    name: "archive-view",
    docs: [
      renderArchiveView(
        site,
        1,
        { pageSize: 2, maxSeq: 3 },
        newestFirst(seedEntry, entryOf(editedBriefRecord)),
      ),
    ],
  },
  { name: "home", docs: [renderHomeDoc(site, mixed)] },
  { name: "article", docs: [renderArticleDoc(site, seedRecord, seedEntry)] },
  { name: "gone", docs: [renderGoneDoc(site, "brief", DELETED_AT)] },
  {
    // Newest first, as the catalogue gives them; "now" puts two of them in the news window.
    name: "sitemaps",
    docs: [
      renderSitemapPage(site, 1, sitemapEntries),
      renderSitemapIndex(site, [1]),
      renderNewsSitemap(site, sitemapEntries, Date.parse("2020-01-08T12:00:00Z")),
      renderRobots(site),
    ],
  },
];

/** The reference file of a document: feeds by their file name, pages by the case. */
function goldenPath(c: Case, doc: RenderedDoc): string {
  const file = doc.contentType.startsWith("text/html") ? "page.html" : doc.path.split("/").pop();
  return join(GOLDEN, c.name, file as string);
}

const FORMAT_OF_FILE = new Map(
  (Object.entries(FEED_FILES) as [FeedFormat, string][]).map(([format, file]) => [file, format]),
);

// ---- comparison -------------------------------------------------------------------------

/** Where two texts first differ, with some context from each, for the failure message. */
function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && expected[i] === actual[i]) i++;
  const line = expected.slice(0, i).split("\n").length;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 60), i + 60));
  return `first difference at character ${i} (line ${line}):\n  golden:   ${around(expected)}\n  rendered: ${around(actual)}`;
}

function compareWithGolden(file: string, rendered: string): void {
  const bytes = Buffer.from(rendered, "utf8");
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(
      `${file} does not exist: run UPDATE_GOLDEN=1 npx vitest run tests/core/golden.test.ts`,
    );
  }
  const golden = readFileSync(file);
  if (golden.equals(bytes)) return;
  const expected = golden.toString("utf8");
  // vitest prints a line diff of the two texts below this message.
  expect(
    rendered,
    `${file} differs from the rendered document; ${firstDifference(expected, rendered)}\n` +
      "If the change is intended: UPDATE_GOLDEN=1 npx vitest run tests/core/golden.test.ts",
  ).toBe(expected);
  // Same text, different bytes (cannot happen for valid UTF-8, but say so if it does).
  expect.fail(`${file}: same text, different bytes`);
}

describe("golden reference files (tests/golden/)", () => {
  for (const c of CASES) {
    for (const doc of c.docs) {
      const file = goldenPath(c, doc);
      it(`${c.name}: ${doc.path} is byte for byte ${file.slice(GOLDEN.length + 1)}`, () => {
        compareWithGolden(file, doc.body);
      });
    }
  }

  // The build fingerprint's renderer part (src/core/render-canary.ts): kept current here,
  // so an intended change of output, accepted with UPDATE_GOLDEN=1, also rebuilds the
  // stored documents on the next deploy.
  it("src/core/render-canary-hash.ts holds the hash of the render canary as rendered now", () => {
    compareWithGolden(
      join(import.meta.dirname, "../../src/core/render-canary-hash.ts"),
      [
        "// Generated by tests/core/golden.test.ts (UPDATE_GOLDEN=1): the hash of the render canary",
        "// (render-canary.ts) as the renderers output it. Do not edit by hand.",
        `export const RENDER_CANARY_HASH = "${canaryHash()}";`,
        "",
      ].join("\n"),
    );
  });

  it("covers every format of every feed case, the pages and the search documents", () => {
    for (const c of CASES.filter((c) => c.items !== undefined)) {
      expect(c.docs.map((d) => d.path.split("/").pop()).sort(), c.name).toEqual(
        Object.values(FEED_FILES).sort(),
      );
    }
    expect(CASES.filter((c) => c.items === undefined).map((c) => c.name)).toEqual([
      "site-view",
      "category-view",
      "archive-view",
      "home",
      "article",
      "gone",
      "sitemaps",
    ]);
  });
});

describe("the golden feeds are feeds", () => {
  for (const c of CASES.filter((c) => c.items !== undefined)) {
    for (const doc of c.docs) {
      const format = FORMAT_OF_FILE.get(doc.path.split("/").pop() as string) as FeedFormat;
      it(`${c.name}/${FEED_FILES[format]} parses with every parser, ${c.items} item(s)`, () => {
        const text = readFileSync(goldenPath(c, doc), "utf8");
        for (const feed of parseAll(text, format)) {
          expect(feed.items, `${feed.parser}`).toHaveLength(c.items as number);
          expect(feed.language, `${feed.parser}`).toBe("ar");
          for (const item of feed.items) expect(item.title, feed.parser).toBeTruthy();
        }
        if (format === "json") expect(validateJsonFeed(text)).toEqual([]);
      });
    }
  }
});

// ---- the browser views, through the HTML standard's parser --------------------------------

type Element = DefaultTreeAdapterMap["element"];
type Node = DefaultTreeAdapterMap["childNode"];

function elements(node: { childNodes: Node[] }): Element[] {
  return node.childNodes.flatMap((n) => ("tagName" in n ? [n, ...elements(n)] : []));
}
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value;
const textOf = (node: { childNodes: Node[] }): string =>
  node.childNodes
    .map((n) => ("value" in n ? n.value : "childNodes" in n ? textOf(n) : ""))
    .join("");

describe("the golden feed views are right-to-left pages of their feeds", () => {
  const views = [
    { name: "site-view", feed: "mixed-language", folder: "" },
    { name: "category-view", feed: "category", folder: "/categories/politics" },
    { name: "archive-view", feed: "archive", folder: "/archive/1" },
  ];
  it.each(views)(
    "$name/page.html shows $feed's title, items and URLs",
    ({ name, feed, folder }) => {
      const all = elements(parse(readFileSync(join(GOLDEN, name, "page.html"), "utf8")));
      const html = all.find((e) => e.tagName === "html") as Element;
      expect([attr(html, "lang"), attr(html, "dir")]).toEqual(["ar", "rtl"]);
      // What the feed itself says, read by a real feed parser.
      const json = readFileSync(join(GOLDEN, feed, "feed.json"), "utf8");
      const [parsed] = parseAll(json, "json");
      if (!parsed) throw new Error("no parser");
      const itemUrls = (JSON.parse(json) as { items: { url: string }[] }).items.map((i) => i.url);
      const title = textOf(all.find((e) => e.tagName === "h1") as Element);
      expect(title).toBe(parsed.title);
      const links = all.filter((e) => e.tagName === "a" && e.parentNode?.nodeName === "h3");
      expect(links.map((a) => attr(a, "href"))).toEqual(itemUrls);
      expect(links.map((a) => textOf(a))).toEqual(parsed.items.map((i) => i.title));
      // Every title is isolated from the text beside it.
      for (const a of links) expect(elements(a).map((e) => e.tagName)).toEqual(["bdi"]);
      const urls = Object.values(FEED_FILES).map((f) => `https://news.example${folder}/${f}`);
      const inputs = all.filter((e) => e.tagName === "input");
      expect(inputs.map((i) => attr(i, "value"))).toEqual(urls);
      for (const i of inputs) expect(attr(i, "readonly")).toBe("");
      const alternates = all.filter((e) => e.tagName === "link" && attr(e, "rel") === "alternate");
      expect(alternates.map((l) => [attr(l, "type"), attr(l, "href")])).toEqual([
        ["application/rss+xml", urls[0]],
        ["application/atom+xml", urls[1]],
        ["application/feed+json", urls[2]],
      ]);
      expect(attr(all.find((e) => attr(e, "rel") === "canonical") as Element, "href")).toBe(
        `https://news.example${folder}/feed.html`,
      );
      expect(textOf(all.find((e) => e.tagName === "body") as Element)).toContain("Feedly");
    },
  );
});
