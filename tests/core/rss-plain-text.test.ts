/**
 * Plain text stays text in RSS readers (issue #12 item 6). Titles, summaries, names and
 * labels that look like markup are read back through the real parsers: Universal Feed
 * Parser (python3-feedparser, when installed), feedsmith, rss-parser and
 * @rowanmanning/feed-parser. No encoding gives every one of them the stored string for
 * text with `&` or `<` in a title or description (Universal Feed Parser reads them as
 * HTML, the npm parsers as XML text), so the one chosen is safe in all: each shows the
 * text, never an element, as the README's "Plain text in RSS" table says.
 */
import { execFileSync } from "node:child_process";
import { parseFeed as parseRowanmanning } from "@rowanmanning/feed-parser";
import { decodeHTML } from "entities";
import { parseRssFeed } from "feedsmith";
import { type DefaultTreeAdapterMap, parseFragment } from "parse5";
import RssParser from "rss-parser";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { buildScopeFeed } from "../../src/core/feeds/build-feed.ts";
import { toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderAtom } from "../../src/core/feeds/render-atom.ts";
import { renderJsonFeed } from "../../src/core/feeds/render-json-feed.ts";
import { renderRss } from "../../src/core/feeds/render-rss.ts";
import { renderBodyHtml } from "../../src/core/html.ts";
import { parseSiteConfig } from "../../src/core/site.ts";
import type { StoredArticle } from "../../src/core/stored-article.ts";

/** Texts that look like markup, and ones that look like escaped markup. */
const TEXTS = [
  "A <b> & B",
  "<img src=x onerror=alert(1)>",
  "AT&T &amp; &lt;x&gt; ]]>",
  "سياسة & <اقتصاد>",
  "5 > 3 \"q\" 'a'",
  "</description><script>alert(1)</script>",
  "عنوان عادي",
];

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "News <b> & more",
  SITE_DESCRIPTION: "<img src=x onerror=alert(1)> &amp;",
  SITE_LANGUAGE: "en",
});

function record(text: string, i: number): StoredArticle {
  return {
    schemaVersion: 1,
    slug: `item-${i + 1}`,
    created: "2020-01-01T00:00:00Z",
    updated: "2020-01-01T00:00:00Z",
    seq: i + 1,
    article: {
      title: text,
      summary: text,
      body: "Body.",
      format: "markdown",
      language: "en",
      authors: [{ name: text, slug: `author-${i + 1}` }],
      published: "2020-01-07T09:00:00+02:00",
      categories: [{ slug: `category-${i + 1}`, label: text }],
      image: { url: "/lead.jpg", type: "image/jpeg", alt: text },
    },
  };
}

// Latin texts in an English site: no direction mark is put in front of them (one that
// starts with "<" gets one, and the readers below strip it).
const entries = TEXTS.map((text, i) =>
  toFeedEntry(site, record(text, i), renderBodyHtml(site, "Body.", "markdown")),
);
const doc = buildScopeFeed({ site, scope: { kind: "site" }, entries, tombstones: [] });
const rss = renderRss(doc);
const unmark = (s: string | undefined) => (s ?? "").replace(/^[\u200e\u200f]/, "");
const htmlEscaped = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;");

/** What an XML-only reader shows of a title or description: the text, its `&` and `<` as entities. */
const shownByXmlReaders = (text: string) => htmlEscaped(text);

describe("what each RSS reader reads back", () => {
  it("feedsmith: titles, descriptions and alt text (type=html) as HTML-escaped text; names and labels exactly", () => {
    const feed = parseRssFeed(rss) as unknown as {
      title: string;
      description: string;
      items: {
        title: string;
        description: string;
        dc?: { creators?: string[]; creator?: string };
        categories?: { name: string }[];
        media?: { contents?: { description?: { value: string; type: string } }[] };
      }[];
    };
    expect(feed.title).toBe(shownByXmlReaders(site.title));
    expect(decodeHTML(feed.description)).toBe(site.description);
    feed.items.forEach((item, i) => {
      const text = TEXTS[i] as string;
      expect(unmark(item.title), text).toBe(shownByXmlReaders(text));
      expect(decodeHTML(unmark(item.description)), text).toBe(text);
      expect(item.dc?.creators?.[0] ?? item.dc?.creator, text).toBe(text);
      expect(item.categories?.[0]?.name, text).toBe(text);
      expect(item.media?.contents?.[0]?.description, text).toEqual({
        value: shownByXmlReaders(text),
        type: "html",
      });
    });
  });

  it("rss-parser: the same as feedsmith", async () => {
    const feed = await new RssParser().parseString(rss);
    expect(feed.title).toBe(shownByXmlReaders(site.title));
    feed.items.forEach((item, i) => {
      const text = TEXTS[i] as string;
      expect(unmark(item.title), text).toBe(shownByXmlReaders(text));
      expect(unmark(item.content), text).toBe(shownByXmlReaders(text));
      expect(item.creator, text).toBe(text);
      const category = item.categories?.[0] as unknown as string | { _: string };
      expect(typeof category === "string" ? category : category._, text).toBe(text);
    });
  });

  it("@rowanmanning/feed-parser: the same, but it drops <…> from author names", () => {
    const feed = parseRowanmanning(rss);
    expect(feed.title).toBe(shownByXmlReaders(site.title));
    feed.items.forEach((item, i) => {
      const text = TEXTS[i] as string;
      expect(unmark(item.title ?? ""), text).toBe(shownByXmlReaders(text));
      expect(unmark(item.description ?? ""), text).toBe(shownByXmlReaders(text));
      expect(item.categories[0]?.label, text).toBe(text);
      if (!text.includes("<")) expect(item.authors[0]?.name, text).toBe(text);
    });
  });

  const python = ["/usr/bin/python3", "python3"].find((p) => {
    try {
      execFileSync(p, ["-c", "import feedparser"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  });
  if (!python)
    console.warn(
      "rss-plain-text.test.ts: Universal Feed Parser skipped: no python3 with feedparser (apt-get install python3-feedparser)",
    );

  it.skipIf(!python)(
    "Universal Feed Parser: every text exactly as shown (titles and descriptions as HTML, which it says they are)",
    () => {
      // What a reader shows: text/html values rendered (their entities decoded), text/plain as they are.
      const script = `
import sys, json, html, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
def shown(detail, value):
    return html.unescape(value) if detail.type == "text/html" else value
out = {"bozo": d.bozo, "title": shown(d.feed.title_detail, d.feed.title),
       "subtitle": shown(d.feed.subtitle_detail, d.feed.subtitle), "items": []}
for e in d.entries:
    out["items"].append({"title": shown(e.title_detail, e.title),
        "summary": shown(e.summary_detail, e.summary), "types": [e.title_detail.type, e.summary_detail.type],
        "author": e.get("author"), "tag": e.tags[0].term})
print(json.dumps(out))`;
      const out = JSON.parse(
        execFileSync(python as string, ["-c", script], { input: rss }).toString(),
      ) as {
        bozo: boolean;
        title: string;
        subtitle: string;
        items: { title: string; summary: string; types: string[]; author: string; tag: string }[];
      };
      expect(out.bozo).toBe(false);
      expect(out.title).toBe(site.title);
      expect(out.subtitle).toBe(site.description);
      out.items.forEach((item, i) => {
        const text = TEXTS[i] as string;
        expect(unmark(item.title), text).toBe(text);
        expect(unmark(item.summary), text).toBe(text);
        expect(item.author, text).toBe(text);
        expect(item.tag, text).toBe(text);
      });
    },
  );
});

/** The text content of each `<description>` of the feed, as an XML parser gives it. */
function descriptions(xml: string): string[] {
  const parser = new SaxesParser();
  const found: string[] = [];
  let inside = false;
  let text = "";
  parser.on("opentag", (tag) => {
    if (tag.name === "description") {
      inside = true;
      text = "";
    }
  });
  parser.on("text", (t) => {
    if (inside) text += t;
  });
  parser.on("closetag", (tag) => {
    if (tag.name === "description") {
      inside = false;
      found.push(text);
    }
  });
  parser.write(xml).close();
  return found;
}

type Node = DefaultTreeAdapterMap["childNode"];

function elementsIn(nodes: Node[]): string[] {
  return nodes.flatMap((n) =>
    "tagName" in n ? [n.tagName, ...elementsIn(n.childNodes as Node[])] : [],
  );
}

const textIn = (nodes: Node[]): string =>
  nodes
    .map((n) => ("value" in n ? n.value : "childNodes" in n ? textIn(n.childNodes as Node[]) : ""))
    .join("");

describe("a reader that renders <description> as HTML", () => {
  it("creates no element and shows the stored text (parse5, the HTML standard's parser)", () => {
    const found = descriptions(rss);
    expect(found).toHaveLength(TEXTS.length + 1);
    const [channel, ...items] = found;
    for (const [html, text] of [
      [channel, site.description],
      ...items.map((d, i) => [d, TEXTS[i]]),
    ]) {
      const fragment = parseFragment(html as string);
      expect(elementsIn(fragment.childNodes as Node[]), html).toEqual([]);
      expect(unmark(textIn(fragment.childNodes as Node[]))).toBe(text);
    }
  });

  it("text without & or < is written exactly as before (escaped once)", () => {
    expect(rss).toContain("عنوان عادي</title>");
    expect(rss).toContain("<title>5 &gt; 3 &quot;q&quot; 'a'</title>");
    expect(rss).toContain("<title>A &#x26;lt;b&gt; &#x26;amp; B</title>");
    expect(rss).toContain("<dc:creator>A &#x3C;b&gt; &#x26; B</dc:creator>");
  });
});

describe("Atom and JSON Feed are unchanged: text once, as text", () => {
  it("Atom titles are type=text, escaped once; JSON Feed carries the string", () => {
    const atom = renderAtom(doc);
    expect(atom).toContain('<title type="text">A &lt;b&gt; &amp; B</title>');
    const json = JSON.parse(renderJsonFeed(doc)) as { items: { title: string }[] };
    expect(json.items.map((i) => unmark(i.title))).toEqual(TEXTS);
  });
});
