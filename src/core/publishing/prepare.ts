/**
 * Turning a record into what feeds show, and checking before anything is written that
 * an article can be published at all: that its body renders, and that it fits the
 * documents that will carry it. An article that cannot is refused (422) instead of
 * being stored and then failing every commit after it.
 */
import type { FieldError } from "../article.ts";
import { renderArticleDoc, renderScopeFeeds } from "../documents.ts";
import { toFeedEntry } from "../feeds/feed-document.ts";
import { renderBodyHtml } from "../html.ts";
import type { SiteConfig } from "../site.ts";
import type { StoredArticle } from "../stored-article.ts";
import { FEED_FORMATS, SITE } from "../urls.ts";
import { docMetaOf } from "./doc-meta.ts";
import type { Prepared } from "./kinds.ts";
import { ITEM_MAX_BYTES, KV_METADATA_MAX_BYTES, utf8Length } from "./limits.ts";

/** Markdown, sanitising and cleaning, once per record version. Throws if the body cannot render. */
export function prepareRecord(site: SiteConfig, record: StoredArticle): Prepared {
  const html = renderBodyHtml(site, record.article.body, record.article.format);
  return { record, entry: toFeedEntry(site, record, html) };
}

/** The reasons this prepared article cannot be published, by field (empty: it can). */
export function publishProblems(site: SiteConfig, prepared: Prepared): FieldError[] {
  const problems: FieldError[] = [];
  // What one item adds to a feed, per format: the feed with it minus the feed without.
  const empty = renderScopeFeeds(site, SITE, undefined, [], []);
  const one = renderScopeFeeds(site, SITE, undefined, [prepared.entry], []);
  FEED_FORMATS.forEach((format, i) => {
    const bytes =
      utf8Length((one[i] as { body: string }).body) -
      utf8Length((empty[i] as { body: string }).body);
    if (bytes > ITEM_MAX_BYTES)
      problems.push({
        path: "body",
        message: `renders to ${bytes} bytes in the ${format} feed; an article may take at most ${ITEM_MAX_BYTES} bytes in any one feed format (shorten the body)`,
      });
  });
  const page = renderArticleDoc(site, prepared.record, prepared.entry);
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
