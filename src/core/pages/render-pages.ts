/**
 * HTML pages: the home page, each article, the browser view of each feed, and the
 * 404/410 pages. Every page declares
 * its language and direction on <html> and links the feeds for autodiscovery
 * (<link rel="alternate">), which is how browsers and readers find them.
 */
import { anchorText } from "../bidi.ts";
import { formatRfc3339 } from "../dates.ts";
import type { FeedEntry } from "../feeds/feed-document.ts";
import { directionOf } from "../language.ts";
import type { SiteConfig } from "../site.ts";
import { escapeXml as h } from "../text.ts";
import {
  absolute,
  FEED_FORMATS,
  FEED_MEDIA_TYPES,
  type FeedFormat,
  type FeedScope,
  feedPath,
} from "../urls.ts";
import { uiTextFor } from "./ui-text.ts";

/** One feed a page links for autodiscovery: its title and each format's absolute URL. */
export interface FeedLinkSet {
  title: string;
  urls: Record<FeedFormat, string>;
}

/** The three feeds of a scope, as a page links them. */
function scopeLinks(site: SiteConfig, title: string, scope: FeedScope): FeedLinkSet {
  const urls = Object.fromEntries(
    FEED_FORMATS.map((format) => [format, absolute(site, feedPath(scope, format))]),
  ) as Record<FeedFormat, string>;
  return { title, urls };
}

function discoveryLinks(site: SiteConfig, feeds: FeedLinkSet[]): string {
  const ui = uiTextFor(site.language);
  const label: Record<FeedFormat, string> = { rss: ui.rss, atom: ui.atom, json: ui.json };
  return feeds
    .flatMap((f) =>
      FEED_FORMATS.map(
        (format) =>
          `<link rel="alternate" type="${FEED_MEDIA_TYPES[format]}" title="${h(`${f.title} — ${label[format]}`)}" href="${h(f.urls[format])}">`,
      ),
    )
    .join("\n");
}

function feedList(site: SiteConfig, scope: FeedScope): string {
  const ui = uiTextFor(site.language);
  const label: Record<FeedFormat, string> = { rss: ui.rss, atom: ui.atom, json: ui.json };
  return `<ul class="feeds">${FEED_FORMATS.map((format) => `<li><a href="${h(absolute(site, feedPath(scope, format)))}" type="${FEED_MEDIA_TYPES[format]}">${h(label[format])}</a></li>`).join("")}</ul>`;
}

const STYLE =
  "body{font-family:system-ui,'Noto Naskh Arabic','Segoe UI',Tahoma,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.8}a{color:#0b57d0}header,footer{color:#555}.meta{color:#555;font-size:.9em}ul.feeds{display:flex;gap:1rem;list-style:none;padding:0;flex-wrap:wrap}dl.subscribe dd{margin:0 0 1rem}dl.subscribe input{width:100%;box-sizing:border-box;font:inherit;font-family:ui-monospace,monospace;padding:.3rem;direction:ltr}ol.items{list-style:none;padding:0}ol.items h3{margin:1.2rem 0 0;font-size:1.1em}ol.items p{margin:.2rem 0}";

function layout(
  site: SiteConfig,
  o: { title: string; language: string; body: string; feeds: FeedLinkSet[]; canonical?: string },
): string {
  const dir = directionOf(o.language);
  const ui = uiTextFor(site.language);
  return `<!doctype html>
<html lang="${h(o.language)}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(o.title)}</title>
${o.canonical ? `<link rel="canonical" href="${h(o.canonical)}">\n` : ""}${discoveryLinks(site, o.feeds)}
<style>${STYLE}</style>
</head>
<body>
<header><a href="${h(`${site.url}/`)}">${h(site.title)}</a></header>
<main>
${o.body}
</main>
<footer><h2>${h(ui.feeds)}</h2><p>${h(ui.subscribeHint)}</p>${feedList(site, { kind: "site" })}${site.copyright ? `<p>${h(site.copyright)}</p>` : ""}</footer>
</body>
</html>
`;
}

const siteFeeds = (site: SiteConfig): FeedLinkSet[] => [
  scopeLinks(site, site.title, { kind: "site" }),
];

/** `lang` and `dir` of an item whose language is not the page's ("" when it is). */
function itemLanguage(language: string, pageLanguage: string): string {
  return language !== pageLanguage ? ` lang="${h(language)}" dir="${directionOf(language)}"` : "";
}

export function renderHomePage(site: SiteConfig, entries: FeedEntry[]): string {
  const ui = uiTextFor(site.language);
  const items = entries
    .map((e) => {
      const lang = itemLanguage(e.language, site.language);
      // <bdi>: a title that ends in Latin text cannot pull the date beside it into its run.
      return `<li${lang}><a href="${h(e.url)}"><bdi>${h(e.title)}</bdi></a> <time class="meta" datetime="${formatRfc3339(e.published)}">${formatRfc3339(e.published).slice(0, 10)}</time></li>`;
    })
    .join("\n");
  return layout(site, {
    title: site.title,
    language: site.language,
    feeds: siteFeeds(site),
    canonical: `${site.url}/`,
    body: `<h1>${h(site.title)}</h1>\n<p>${h(site.description)}</p>\n<h2>${h(ui.latest)}</h2>\n${items ? `<ul>${items}</ul>` : `<p>${h(ui.noArticles)}</p>`}\n${feedList(site, { kind: "site" })}`,
  });
}

export interface ArticlePageInput {
  entry: FeedEntry;
  dateline?: string;
  source?: string;
}

export function renderArticlePage(
  site: SiteConfig,
  { entry, dateline, source }: ArticlePageInput,
): string {
  const ui = uiTextFor(entry.language);
  const direction = directionOf(entry.language);
  const feeds: FeedLinkSet[] = [
    ...siteFeeds(site),
    ...entry.categories.map((c) =>
      scopeLinks(site, `${site.title} — ${c.label}`, { kind: "category", slug: c.term }),
    ),
    ...entry.authors.map((a) =>
      scopeLinks(site, `${site.title} — ${a.name}`, { kind: "author", slug: a.slug }),
    ),
  ];
  const authors = entry.authors
    .map(
      (a) =>
        `<a href="${h(absolute(site, feedPath({ kind: "author", slug: a.slug }, "atom")))}">${h(a.name)}</a>`,
    )
    .join("، ");
  const categories = entry.categories
    .map(
      (c) =>
        `<a href="${h(absolute(site, feedPath({ kind: "category", slug: c.term }, "atom")))}">${h(c.label)}</a>`,
    )
    .join(" · ");
  const meta = [
    `${h(ui.by)} ${authors}`,
    dateline ? h(anchorText(dateline, direction)) : "",
    `<time datetime="${formatRfc3339(entry.published)}">${formatRfc3339(entry.published).slice(0, 10)}</time>`,
    source ? h(source) : "",
  ].filter(Boolean);
  return layout(site, {
    title: `${entry.title} — ${site.title}`,
    language: entry.language,
    feeds,
    canonical: entry.url,
    body: `<article>\n<h1>${h(entry.title)}</h1>\n<p class="meta">${meta.join(" · ")}</p>\n${entry.contentHtml}\n${categories ? `<p class="meta">${h(ui.categories)}: ${categories}</p>` : ""}\n</article>`,
  });
}

/** What the browser view of one feed shows. */
export interface FeedViewInput {
  /** The feed's title and description, as its documents carry them. */
  title: string;
  description: string;
  /** Each format's absolute URL. */
  urls: Record<FeedFormat, string>;
  /** The feed's entries, newest first. */
  entries: FeedEntry[];
  /** The view's own absolute URL. */
  canonical: string;
}

/**
 * The browser view of a feed: what a person who opens a feed link in a browser sees
 * instead of the XML (browsers are dropping XSLT, so feeds no longer style themselves).
 * The feed's title and description, how to subscribe with each format's URL ready to
 * copy, and the newest items, linked to their pages.
 */
export function renderFeedView(site: SiteConfig, view: FeedViewInput): string {
  const ui = uiTextFor(site.language);
  const label: Record<FeedFormat, string> = { rss: ui.rss, atom: ui.atom, json: ui.json };
  const urls = FEED_FORMATS.map((format) => {
    const id = `feed-url-${format}`;
    return `<dt><label for="${id}">${h(label[format])}</label></dt><dd><input id="${id}" type="url" readonly value="${h(view.urls[format])}" dir="ltr" spellcheck="false"></dd>`;
  }).join("\n");
  const items = view.entries
    .map((e) => {
      const lang = itemLanguage(e.language, site.language);
      const date = formatRfc3339(e.published);
      return `<li${lang}><h3><a href="${h(e.url)}"><bdi>${h(e.title)}</bdi></a></h3><p class="meta"><time datetime="${date}">${date.slice(0, 10)}</time></p><p dir="auto">${h(e.summary)}</p></li>`;
    })
    .join("\n");
  return layout(site, {
    title: view.title,
    language: site.language,
    feeds: [{ title: view.title, urls: view.urls }],
    canonical: view.canonical,
    body: [
      `<h1><bdi>${h(view.title)}</bdi></h1>`,
      `<p>${h(view.description)}</p>`,
      `<p class="about">${h(ui.viewIntro)}</p>`,
      `<section class="subscribe"><h2>${h(ui.subscribeTitle)}</h2>`,
      `<p>${h(ui.subscribeHow)}</p>`,
      `<dl class="subscribe">\n${urls}\n</dl></section>`,
      `<h2>${h(ui.latest)}</h2>`,
      items ? `<ol class="items">\n${items}\n</ol>` : `<p>${h(ui.noArticles)}</p>`,
    ].join("\n"),
  });
}

export function renderErrorPage(site: SiteConfig, status: 404 | 410): string {
  const ui = uiTextFor(site.language);
  const [title, body] =
    status === 404 ? [ui.notFoundTitle, ui.notFoundBody] : [ui.goneTitle, ui.goneBody];
  return layout(site, {
    title: `${title} — ${site.title}`,
    language: site.language,
    feeds: siteFeeds(site),
    body: `<h1>${h(title)}</h1>\n<p>${h(body)}</p>\n<p><a href="${h(`${site.url}/`)}">${h(ui.home)}</a></p>`,
  });
}
