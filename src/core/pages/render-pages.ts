/**
 * HTML pages: the home page, each article, and the 404/410 pages. Every page declares
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

export interface FeedLinkSet {
  title: string;
  scope: FeedScope;
}

function discoveryLinks(site: SiteConfig, feeds: FeedLinkSet[]): string {
  const ui = uiTextFor(site.language);
  const label: Record<FeedFormat, string> = { rss: ui.rss, atom: ui.atom, json: ui.json };
  return feeds
    .flatMap((f) =>
      FEED_FORMATS.map(
        (format) =>
          `<link rel="alternate" type="${FEED_MEDIA_TYPES[format]}" title="${h(`${f.title} — ${label[format]}`)}" href="${h(absolute(site, feedPath(f.scope, format)))}">`,
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
  "body{font-family:system-ui,'Noto Naskh Arabic','Segoe UI',Tahoma,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.8}a{color:#0b57d0}header,footer{color:#555}.meta{color:#555;font-size:.9em}ul.feeds{display:flex;gap:1rem;list-style:none;padding:0;flex-wrap:wrap}";

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
  { title: site.title, scope: { kind: "site" } },
];

export function renderHomePage(site: SiteConfig, entries: FeedEntry[]): string {
  const ui = uiTextFor(site.language);
  const items = entries
    .map((e) => {
      const lang =
        e.language !== site.language
          ? ` lang="${h(e.language)}" dir="${directionOf(e.language)}"`
          : "";
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
    ...entry.categories.map((c) => ({
      title: `${site.title} — ${c.label}`,
      scope: { kind: "category", slug: c.term } as const,
    })),
    ...entry.authors.map((a) => ({
      title: `${site.title} — ${a.name}`,
      scope: { kind: "author", slug: a.slug } as const,
    })),
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
