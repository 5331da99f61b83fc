/**
 * The render canary: a small fixed set of documents that exercises every renderer — a
 * Markdown body (heading, emphasis, a relative link, a quotation, a list, an image) and
 * an HTML body through the sanitiser; Arabic, English and az-Arab articles; a headline
 * that needs a direction mark; a lead image; a tombstone; a complete archive page; a
 * category feed; the browser views of the site feed, the category and the archive page;
 * the home page (with and without articles); Arabic and English article
 * pages; the 404 and 410 pages — under a site with every optional setting.
 *
 * Its hash, RENDER_CANARY_HASH (render-canary-hash.ts, generated), goes into the build
 * fingerprint of every stored document (documents.ts, buildFingerprint), so a deploy
 * whose renderers say anything different for these inputs rebuilds the stored documents;
 * nobody has to remember to bump a version. tests/core/golden.test.ts fails while the
 * committed hash is not the hash of what the renderers output now, and
 * `UPDATE_GOLDEN=1 npx vitest run tests/core/golden.test.ts` rewrites it with the golden
 * files. A change that shows only for inputs the canary lacks does not change the hash:
 * new kinds of output belong in the canary (and in tests/golden/).
 *
 * Why the hash is computed by the tests and not in the Worker: rendering the canary in a
 * fresh V8 isolate costs far more than the 1–2 ms the read path can spare, and an isolate
 * would pay it on its first request, against the Workers free plan's 10 ms of CPU per
 * request. Measured in Node 24 on the development machine (2 shared cores, under varying
 * load): 60–180 ms for the first render in a fresh process (`marked`'s first parse alone
 * took 33 ms for a one-line body), 4–6 ms once warm. buildFingerprint with the committed
 * constant took 0.13–0.33 ms on its first call (one FNV pass over the site
 * configuration), as before.
 */
import type { Article } from "./article.ts";
import { catalogEntryOf } from "./catalog.ts";
import {
  type RenderedDoc,
  renderArchivePage,
  renderArchiveView,
  renderArticleDoc,
  renderGoneDoc,
  renderHomeDoc,
  renderScopeFeeds,
  renderScopeView,
} from "./documents.ts";
import { type FeedEntry, toFeedEntry } from "./feeds/feed-document.ts";
import { fnv1aHex } from "./fnv.ts";
import { renderBodyHtml } from "./html.ts";
import { renderErrorPage } from "./pages/render-pages.ts";
import { parseSiteConfig, type SiteConfig } from "./site.ts";
import {
  renderNewsSitemap,
  renderRobots,
  renderSitemapIndex,
  renderSitemapPage,
} from "./sitemaps.ts";
import { recordOf, type StoredArticle } from "./stored-article.ts";

/**
 * The document renderers, a parameter so that tests can show that a renderer's changed
 * output changes the hash. Article bodies and feed entries go through renderBodyHtml and
 * toFeedEntry, as the Publisher does.
 */
export interface Renderers {
  scopeFeeds: typeof renderScopeFeeds;
  archivePage: typeof renderArchivePage;
  scopeView: typeof renderScopeView;
  archiveView: typeof renderArchiveView;
  home: typeof renderHomeDoc;
  article: typeof renderArticleDoc;
  gone: typeof renderGoneDoc;
  errorPage: typeof renderErrorPage;
  sitemapPage: typeof renderSitemapPage;
  sitemapIndex: typeof renderSitemapIndex;
  newsSitemap: typeof renderNewsSitemap;
  robots: typeof renderRobots;
}

export const DOCUMENT_RENDERERS: Renderers = {
  scopeFeeds: renderScopeFeeds,
  archivePage: renderArchivePage,
  scopeView: renderScopeView,
  archiveView: renderArchiveView,
  home: renderHomeDoc,
  article: renderArticleDoc,
  gone: renderGoneDoc,
  errorPage: renderErrorPage,
  sitemapPage: renderSitemapPage,
  sitemapIndex: renderSitemapIndex,
  newsSitemap: renderNewsSitemap,
  robots: renderRobots,
};

/** A site with every optional setting, so each of them reaches the output. */
const CANARY_SITE: SiteConfig = parseSiteConfig({
  SITE_URL: "https://canary.example",
  SITE_TITLE: "أخبار",
  SITE_DESCRIPTION: "آخر الأخبار",
  SITE_LANGUAGE: "ar",
  SITE_COPYRIGHT: "© غرفة الأخبار",
  SITE_ICON: "https://canary.example/icon.png",
  SITE_LOGO: "https://canary.example/logo.png",
  WEBSUB_HUBS: "https://hub.example/",
});

/** Arabic, Markdown. */
const ARABIC_TEXT: Article = {
  title: "عنوان الخبر",
  summary: "ملخص الخبر.",
  body: [
    "## خلفية",
    'فقرة فيها **تأكيد** و_ميل_ و[رابط](/articles/other "عنوان") و<bdi>CNN</bdi>.',
    "> اقتباس من المؤتمر.",
    "- بند أول\n- بند ثانٍ",
    "![صورة](/images/a.jpg)",
  ].join("\n\n"),
  format: "markdown",
  language: "ar",
  authors: [{ name: "سعيد عريقات", slug: "saeed-ereikat", url: "https://canary.example/me" }],
  dateline: "واشنطن",
  source: "القدس دوت كوم",
  published: "2020-01-07T09:00:00+02:00",
  categories: [{ slug: "politics", label: "سياسة" }],
};

const ARABIC: Article = {
  ...ARABIC_TEXT,
  image: {
    url: "/images/lead.jpg",
    type: "image/jpeg",
    length: 48213,
    width: 1200,
    height: 800,
    alt: "صورة",
  },
};

/** HTML body; its headline's first strong character is Latin (it gets a mark). */
const LATIN_FIRST: Article = {
  ...ARABIC_TEXT,
  title: "CNN: عنوان يبدأ بحروف لاتينية",
  summary: "2020 عام حاسم.",
  body: '<p dir="rtl">CNN <span>قالت</span> <a href="https://example.org/x">هذا</a>.</p>',
  format: "html",
  published: "2020-01-06T09:00:00+02:00",
};

const ENGLISH: Article = {
  ...ARABIC_TEXT,
  title: "An English headline",
  summary: "In English.",
  body: "Plain *English* text.",
  language: "en",
  authors: [{ name: "Sarah Haddad", slug: "sarah-haddad", email: "sarah@example.org" }],
  published: "2020-01-05T09:00:00Z",
  categories: [],
};

const AZERI: Article = { ...ENGLISH, title: "آذربایجان", language: "az-Arab" };

/** A stored record; `updated` differs from `published` once the article is edited. */
const record = recordOf;

const RECORDS = [
  record("arabic", ARABIC, 1, "2020-01-08T10:00:00Z"),
  record("latin-first", LATIN_FIRST, 2),
  record("english", ENGLISH, 3),
  record("azeri", AZERI, 4),
];

/** Every canary document's bytes, in a fixed order. */
export function renderCanary(r: Renderers = DOCUMENT_RENDERERS): string {
  const site = CANARY_SITE;
  const entries: FeedEntry[] = RECORDS.map((rec) =>
    toFeedEntry(site, rec, renderBodyHtml(site, rec.article.body, rec.article.format)),
  );
  const [arabic, , english] = entries as [FeedEntry, FeedEntry, FeedEntry];
  const catalogEntries = RECORDS.map((rec) => catalogEntryOf(rec));
  const tombstones = [{ id: "https://canary.example/articles/gone", when: "2020-01-09T10:00:00Z" }];
  const docs: RenderedDoc[] = [
    ...r.scopeFeeds(site, { kind: "site" }, undefined, entries, tombstones, {
      pageSize: 2,
      maxSeq: 4,
    }),
    ...r.scopeFeeds(site, { kind: "category", slug: "politics" }, "سياسة", entries.slice(0, 2), []),
    ...r.archivePage(site, 1, { pageSize: 2, maxSeq: 4 }, entries.slice(0, 2)),
    r.scopeView(site, { kind: "site" }, undefined, entries, tombstones),
    r.scopeView(site, { kind: "category", slug: "politics" }, "سياسة", entries.slice(0, 2), []),
    r.archiveView(site, 1, { pageSize: 2, maxSeq: 4 }, entries.slice(0, 2)),
    r.home(site, entries),
    r.home(site, []),
    r.article(site, RECORDS[0] as StoredArticle, arabic),
    r.article(site, RECORDS[2] as StoredArticle, english),
    r.gone(site, "gone", "2020-01-09T10:00:00Z"),
    r.sitemapPage(site, 1, catalogEntries),
    r.sitemapIndex(site, [1, 3]),
    // A fixed "now" a day after the newest article: some in the two-day window, some not.
    r.newsSitemap(site, catalogEntries, Date.parse("2020-01-08T12:00:00Z")),
    r.robots(site),
  ];
  const pages = [r.errorPage(site, 404)];
  const served = docs.map(
    (d) => `${d.path} ${d.status} ${d.contentType} ${d.language} ${d.updated}\n${d.body}`,
  );
  return [...served, ...pages].join("\n\0\n");
}

/** The canary's hash (FNV-1a, 8 hex digits). */
export function canaryHash(renderers: Renderers = DOCUMENT_RENDERERS): string {
  return fnv1aHex(renderCanary(renderers));
}
