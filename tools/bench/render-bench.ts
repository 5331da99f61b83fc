/**
 * Render cost of one feed: our FeedDocument + renderers against the `feed` package, on
 * the same entries, in the same process, interleaved (timing.ts).
 *
 * What is timed, and why:
 *  - ours: buildScopeFeed(entries) + the renderer(s): the work the Publisher repeats for
 *    every scope on every change. Entries (sanitised body HTML included) are built once
 *    beforehand: the Publisher caches body HTML, and `feed` gets the same HTML.
 *  - feed: new Feed(options) + addItem per item + rss2()/atom1()/json1().
 *  - "all three" builds one document and renders every format from it, as
 *    renderScopeFeeds does; that combined figure is what the 2x target is about.
 * Every call gets fresh (shallow-copied) entry and item objects, as every rebuild does
 * (Publisher.entryOf makes new FeedEntry objects), so a cache keyed on object identity
 * could not carry work over from one timed call to the next. The copy costs both sides
 * the same few microseconds.
 *
 * The hot spots line times the text hygiene the renderers apply to the full-text
 * content of every item (escapeXml in RSS and Atom, stripXmlForbidden in JSON): the
 * part of our cost that grows with article length.
 */
import { validateArticle } from "../../src/core/article.ts";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderJsonFeed } from "../../src/core/feeds/render-json-feed.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { renderBodyHtml } from "../../src/core/html.ts";
import type { SiteConfig } from "../../src/core/site.ts";
import { SCHEMA_VERSION, type StoredArticle } from "../../src/core/stored-article.ts";
import { escapeXml, stripXmlForbidden } from "../../src/core/text.ts";
import type { BenchArticle } from "./articles.ts";
import { buildFeedPackageFeed, toFeedPackageItems } from "./feed-package.ts";
import { compare, type Timing, type TimingOptions } from "./timing.ts";

export type RenderCase = "rss" | "atom" | "json" | "all";
export const RENDER_CASES: RenderCase[] = ["rss", "atom", "json", "all"];

export interface RenderRow {
  format: RenderCase;
  ours: Timing;
  feed: Timing;
  /** feed / ours: above 1 means ours is faster. */
  ratio: number;
  oursBytes: number;
  feedBytes: number;
}

export interface RenderResult {
  items: number;
  rows: RenderRow[];
  /** toFeedEntry for every item (informational: the Publisher does it on each rebuild). */
  entries: Timing;
  /** escapeXml / stripXmlForbidden over every item's contentHtml (informational). */
  escapeContent: Timing;
  stripContent: Timing;
}

/** What the Publisher holds for each article: the validated record and its body HTML. */
function storedRecords(
  site: SiteConfig,
  articles: BenchArticle[],
): { record: StoredArticle; html: string }[] {
  return articles.map(({ slug, article: input }, i) => {
    const checked = validateArticle(input, slug);
    if (!checked.ok)
      throw new Error(`bench article ${slug} is invalid: ${JSON.stringify(checked.errors)}`);
    const { article } = checked;
    const record: StoredArticle = {
      schemaVersion: SCHEMA_VERSION,
      slug,
      article,
      created: article.published,
      updated: article.published,
      seq: i + 1,
    };
    return { record, html: renderBodyHtml(site, article.body, article.format) };
  });
}

export function benchRender(
  site: SiteConfig,
  articles: BenchArticle[],
  options: TimingOptions,
): RenderResult {
  // The newest `items` articles, as the site feed would hold them.
  const records = storedRecords(site, articles).reverse();
  const entries = records.map(({ record, html }) => toFeedEntry(site, record, html));
  const items = toFeedPackageItems(entries);
  // As renderScopeFeeds calls it, minus the RFC 5005 archive links `feed` cannot write.
  const doc = () =>
    buildScopeFeed({
      site,
      scope: { kind: "site" },
      entries: entries.map((e) => ({ ...e })),
      tombstones: [],
    });
  const feed = () =>
    buildFeedPackageFeed(
      site,
      items.map((i) => ({ ...i })),
    );

  const ours: Record<RenderCase, () => string> = {
    rss: () => renderRss(doc()),
    atom: () => renderAtom(doc()),
    json: () => renderJsonFeed(doc()),
    all: () => {
      const d = doc();
      return renderRss(d) + renderAtom(d) + renderJsonFeed(d);
    },
  };
  const theirs: Record<RenderCase, () => string> = {
    rss: () => feed().rss2(),
    atom: () => feed().atom1(),
    json: () => feed().json1(),
    all: () => {
      const f = feed();
      return f.rss2() + f.atom1() + f.json1();
    },
  };

  const cases: Record<string, () => unknown> = {};
  for (const c of RENDER_CASES) {
    cases[`ours:${c}`] = ours[c];
    cases[`feed:${c}`] = theirs[c];
  }
  const timings = compare(cases, options);
  const rows = RENDER_CASES.map((format): RenderRow => {
    const o = timings[`ours:${format}`] as Timing;
    const f = timings[`feed:${format}`] as Timing;
    return {
      format,
      ours: o,
      feed: f,
      ratio: f.msPerOp / o.msPerOp,
      oursBytes: Buffer.byteLength(ours[format]()),
      feedBytes: Buffer.byteLength(theirs[format]()),
    };
  });
  const extra = compare(
    {
      entries: () => records.map(({ record, html }) => toFeedEntry(site, record, html)),
      escape: () => entries.map((e) => escapeXml(e.contentHtml)),
      strip: () => entries.map((e) => stripXmlForbidden(e.contentHtml)),
    },
    options,
  );
  return {
    items: entries.length,
    rows,
    entries: extra.entries,
    escapeContent: extra.escape,
    stripContent: extra.strip,
  };
}
