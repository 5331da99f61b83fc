/**
 * Turning a record into what feeds show, and checking before anything is written that
 * an article can be published at all: that its body renders, and that it fits the
 * documents that will carry it. An article that cannot is refused (422) instead of
 * being stored and then failing every commit after it.
 */
import type { FieldError } from "../article.ts";
import { articleDocHead, renderScopeFeeds } from "../documents.ts";
import { type FeedEntry, toFeedEntry } from "../feeds/feed-document.ts";
import { renderBodyHtml } from "../html.ts";
import type { SiteConfig } from "../site.ts";
import type { StoredArticle } from "../stored-article.ts";
import { FEED_FORMATS, SITE } from "../urls.ts";
import { docMetaOf } from "./doc-meta.ts";
import type { Prepared } from "./kinds.ts";
import { ITEM_MAX_BYTES, KV_METADATA_MAX_BYTES, utf8Length } from "./limits.ts";

/**
 * Markdown, sanitising and cleaning, once per record version (`html`: the body already
 * rendered by renderBodyHtml with this site). Throws if the body cannot render.
 */
export function prepareRecord(site: SiteConfig, record: StoredArticle, html?: string): Prepared {
  const body = html ?? renderBodyHtml(site, record.article.body, record.article.format);
  return { record, entry: toFeedEntry(site, record, body) };
}

/**
 * More than the bytes one item can add to any feed format, from its entry alone: an item
 * is rendered from its FeedEntry, shows each of its texts at most twice (content and
 * summary, title and image caption), and escaping turns one UTF-8 byte into at most ten
 * (`"` as text inside RSS HTML: `&amp;quot;`); the fixed part (element names, the site's
 * URL in links) is far below ITEM_FIXED_BYTES. tests/core/publishing/prepare.test.ts
 * holds it against the real renders of hostile entries. An ordinary article is a few
 * per cent of the limit, so most publishes skip the trial renders below.
 */
const ITEM_GROWTH = 20;
const ITEM_FIXED_BYTES = 16 * 1024;
export const itemBytesBound = (entry: FeedEntry): number =>
  ITEM_GROWTH * utf8Length(JSON.stringify(entry)) + ITEM_FIXED_BYTES;

/** Bytes of the site's three feeds with no item, per format (once per configuration). */
const emptyFeedBytes = new WeakMap<SiteConfig, number[]>();

/** Bytes one item adds to the site's feed, per format (FEED_FORMATS order). */
export function itemBytes(site: SiteConfig, entry: FeedEntry): number[] {
  let empty = emptyFeedBytes.get(site);
  if (!empty) {
    empty = renderScopeFeeds(site, SITE, undefined, [], []).map((d) => utf8Length(d.body));
    emptyFeedBytes.set(site, empty);
  }
  const base = empty;
  return renderScopeFeeds(site, SITE, undefined, [entry], []).map(
    (d, i) => utf8Length(d.body) - (base[i] as number),
  );
}

/** The reasons this prepared article cannot be published, by field (empty: it can). */
export function publishProblems(site: SiteConfig, prepared: Prepared): FieldError[] {
  const problems: FieldError[] = [];
  // What one item adds to a feed, per format: the feed with it minus the feed without.
  if (itemBytesBound(prepared.entry) > ITEM_MAX_BYTES) {
    itemBytes(site, prepared.entry).forEach((bytes, i) => {
      if (bytes > ITEM_MAX_BYTES)
        problems.push({
          path: "body",
          message: `renders to ${bytes} bytes in the ${FEED_FORMATS[i]} feed; an article may take at most ${ITEM_MAX_BYTES} bytes in any one feed format (shorten the body)`,
        });
    });
  }
  // The page's metadata, not its body: the body is rendered once, by the commit.
  const page = { ...articleDocHead(prepared.record, prepared.entry), body: "" };
  const placeholder = { etag: `"${"x".repeat(22)}"`, lastModified: "2000-01-01T00:00:00.000Z" };
  const metaBytes = utf8Length(
    JSON.stringify(docMetaOf(page, placeholder, Number.MAX_SAFE_INTEGER, "ffffffff")),
  );
  if (metaBytes > KV_METADATA_MAX_BYTES)
    problems.push({
      path: "language",
      message: `makes the article page's KV metadata ${metaBytes} bytes; KV takes at most ${KV_METADATA_MAX_BYTES}`,
    });
  return problems;
}
