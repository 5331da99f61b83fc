/** Corrections reach every format and the article page, in the article's language and direction. */
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from "feedsmith";
import { describe, expect, it } from "vitest";
import { renderArticleDoc } from "../../src/core/documents.ts";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderJsonFeed } from "../../src/core/feeds/render-json-feed.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { prepareRecord } from "../../src/core/publishing/prepare.ts";
import { type article, storedRecord, testSite } from "../support/catalog-fixtures.ts";

const site = testSite();
const recordOf = (overrides: Parameters<typeof article>[0]) => storedRecord(overrides);

describe("corrections", () => {
  const record = recordOf({
    body: "نص المقال.",
    corrections: [
      { date: "2020-01-08T10:00:00+02:00", text: "صُحّح اسم المسؤول <b>خطأ</b>." },
      { date: "2020-01-09T10:00:00+02:00", text: "صُحّح التاريخ." },
    ],
  });
  const { entry } = prepareRecord(site, record);
  const doc = buildScopeFeed({ site, scope: { kind: "site" }, entries: [entry], tombstones: [] });

  it("end the content in every format, inside the article's dir/lang wrapper, as text", () => {
    const contents = [
      parseRssFeed(renderRss(doc)).items?.[0]?.content?.encoded,
      parseAtomFeed(renderAtom(doc)).entries?.[0]?.content?.value,
      parseJsonFeed(JSON.parse(renderJsonFeed(doc))).items?.[0]?.content_html,
    ];
    for (const html of contents) {
      expect(html).toMatch(/^<div dir="rtl" lang="ar">/);
      expect(html).toMatch(
        /نص المقال\.<\/p>\s*<p class="correction"><strong>تصحيح<\/strong> <time datetime="2020-01-08T10:00:00\+02:00">2020-01-08<\/time>: صُحّح اسم المسؤول &lt;b&gt;خطأ&lt;\/b&gt;\.<\/p><p class="correction">.*صُحّح التاريخ\.<\/p><\/div>$/s,
      );
    }
  });

  it("appear on the article page, and in English for an English article", () => {
    expect(renderArticleDoc(site, record, entry).body).toContain(
      '<p class="correction"><strong>تصحيح</strong>',
    );
    const english = recordOf({
      language: "en",
      title: "Title",
      corrections: [{ date: "2020-01-08T10:00:00Z", text: "Fixed a name." }],
    });
    const { entry: en } = prepareRecord(site, english);
    expect(en.contentHtml).toMatch(
      /^<div dir="ltr" lang="en">.*<strong>Correction<\/strong>.*Fixed a name\.<\/p><\/div>$/s,
    );
  });
});
