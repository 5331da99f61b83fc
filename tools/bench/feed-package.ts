/**
 * The comparison generator: the `feed` npm package (6.0.0) fed the same items and the
 * same fields our renderers write, so the timing compares equal work.
 *
 * The split mirrors ours: `toFeedPackageItems` is the counterpart of `toFeedEntry`
 * (done once, outside the timing, like our precomputed FeedEntry list), and
 * `buildFeedPackageFeed` is the counterpart of `buildScopeFeed` (inside the timing):
 * feed-level options, the newest `updated`, and adding every item.
 */
import { Feed, type Item } from "feed";
import type { FeedEntry } from "../../src/core/feeds/feed-document.ts";
import type { SiteConfig } from "../../src/core/site.ts";
import { absolute, feedPath } from "../../src/core/urls.ts";

/** Our entries as `feed` items: title, link, id, both dates, summary, full content, people, tags, image. */
export function toFeedPackageItems(entries: FeedEntry[]): Item[] {
  return entries.map((e) => ({
    title: e.title,
    id: e.id,
    link: e.url,
    date: new Date(e.updated),
    published: new Date(e.published),
    description: e.summary,
    content: e.contentHtml,
    author: e.authors.map((a) => ({
      name: a.name,
      ...(a.email ? { email: a.email } : {}),
      ...(a.url ? { link: a.url } : {}),
    })),
    category: e.categories.map((c) => ({
      name: c.label,
      term: c.term,
      domain: c.scheme,
      scheme: c.scheme,
    })),
    ...(e.image
      ? {
          image: {
            url: e.image.url,
            type: e.image.type,
            ...(e.image.length ? { length: e.image.length } : {}),
          },
        }
      : {}),
  }));
}

/** The site feed with `feed`: what buildScopeFeed does for ours. */
export function buildFeedPackageFeed(site: SiteConfig, items: Item[]): Feed {
  let updated = 0;
  for (const item of items) updated = Math.max(updated, item.date.getTime());
  const feed = new Feed({
    id: absolute(site, feedPath({ kind: "site" }, "atom")),
    title: site.title,
    description: site.description,
    link: `${site.url}/`,
    language: site.language,
    updated: new Date(updated),
    // Ours writes no generator element; asking `feed` for none keeps the bytes comparable.
    generator: false,
    docs: "https://www.rssboard.org/rss-specification",
    feedLinks: {
      rss: absolute(site, feedPath({ kind: "site" }, "rss")),
      atom: absolute(site, feedPath({ kind: "site" }, "atom")),
      json: absolute(site, feedPath({ kind: "site" }, "json")),
    },
    ...(site.copyright ? { copyright: site.copyright } : {}),
    ...(site.hubs[0] ? { hub: site.hubs[0] } : {}),
    ...(site.logo ? { image: site.logo } : {}),
    ...(site.icon ? { favicon: site.icon } : {}),
  });
  for (const item of items) feed.addItem(item);
  return feed;
}
