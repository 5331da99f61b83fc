/**
 * Layout in a real browser (Debian's Chromium through playwright-core) of what issue #12
 * item 7 changed: a home page title, with the characters plain text accepts, does not
 * move the text beside it; and an item whose content needs a direction mark starts with
 * a line of text, not a blank line. The pages are the pure core's output, loaded with
 * setContent; skipped, with a message, where Chromium is not installed.
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RLM } from "../../src/core/bidi.ts";
import { toFeedEntry } from "../../src/core/feeds/feed-document.ts";
import { renderBodyHtml } from "../../src/core/html.ts";
import { renderHomePage } from "../../src/core/pages/render-pages.ts";
import { parseSiteConfig } from "../../src/core/site.ts";
import type { StoredArticle } from "../../src/core/stored-article.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`bidi layout test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار القدس",
  SITE_DESCRIPTION: "آخر الأخبار",
  SITE_LANGUAGE: "ar",
});

function record(
  slug: string,
  title: string,
  body: string,
  format: "markdown" | "html" = "markdown",
) {
  const rec: StoredArticle = {
    schemaVersion: 1,
    slug,
    created: "2020-01-07T07:00:00Z",
    updated: "2020-01-07T07:00:00Z",
    seq: 1,
    article: {
      title,
      summary: "ملخص",
      body,
      format,
      language: "ar",
      authors: [{ name: "سعيد", slug: "saeed" }],
      published: "2020-01-07T09:00:00+02:00",
      categories: [],
    },
  };
  return toFeedEntry(site, rec, renderBodyHtml(site, body, format));
}

/** Titles with what plain text accepts: Latin at either end, marks, balanced isolates. */
const TITLES = [
  "البرلمان العراقي يصوت وفق CNN",
  "تصريحات جديدة من Google 2020",
  `${RLM}CNN: البرلمان العراقي يصوت`,
  "قالت \u2066Google Inc.\u2069 إن الخدمة ستتوقف",
  "\u200Eمؤتمر صحفي \u061C(٢٠٢٠)",
];

const launch = () =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });

describe.skipIf(!hasChromium)("bidi layout in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** For each home page item: whether its date sits wholly to the left of its title. */
  async function datesBesideTitles(html: string): Promise<boolean[]> {
    const page = await browser.newPage();
    try {
      await page.setContent(html);
      return await page.evaluate(() => {
        // biome-ignore lint/suspicious/noExplicitAny: browser globals; Node's lib has no DOM.
        const doc = (globalThis as any).document;
        return [...doc.querySelectorAll("main li:has(time)")].map(
          // biome-ignore lint/suspicious/noExplicitAny: a DOM element.
          (li: any) => {
            const title = li.querySelector("a").getBoundingClientRect();
            const date = li.querySelector("time").getBoundingClientRect();
            return date.right <= title.left + 0.5;
          },
        );
      });
    } finally {
      await page.close();
    }
  }

  it("a title does not pull the date beside it into its own run (each is a <bdi>)", async () => {
    const entries = TITLES.map((t, i) => record(`item-${i}`, t, "نص."));
    const home = renderHomePage(site, entries);
    expect(await datesBesideTitles(home)).toEqual(TITLES.map(() => true));
    // Without the isolation the Latin ending takes the date with it: the check can fail.
    const bare = home.replaceAll("<bdi>", "").replaceAll("</bdi>", "");
    expect(await datesBesideTitles(bare)).toContain(false);
  }, 60_000);

  /** How far below the top of the item's <div> its first visible character is. */
  async function firstTextOffset(contentHtml: string): Promise<number> {
    const page = await browser.newPage();
    try {
      await page.setContent(
        `<!doctype html><html lang="ar" dir="rtl"><body style="margin:0"><article>${contentHtml}</article></body></html>`,
      );
      return await page.evaluate(() => {
        // biome-ignore lint/suspicious/noExplicitAny: browser globals; Node's lib has no DOM.
        const doc = (globalThis as any).document;
        const div = doc.querySelector("article > div");
        const walker = doc.createTreeWalker(div, 4 /* NodeFilter.SHOW_TEXT */);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const i = [...node.data].findIndex((ch: string) => !/[\s\u200e\u200f\u061c]/.test(ch));
          if (i === -1) continue;
          const range = doc.createRange();
          const offset = node.data.indexOf([...node.data][i]);
          range.setStart(node, offset);
          range.setEnd(node, offset + 1);
          return range.getBoundingClientRect().top - div.getBoundingClientRect().top;
        }
        return Number.NaN;
      });
    } finally {
      await page.close();
    }
  }

  it.each([
    ["a Latin name", "CNN نقلت عن مصادر طبية أن عدد القتلى ارتفع.", "markdown"],
    ["a URL", '<p><a href="https://example.org/">example.org</a> يطلق خدمة جديدة.</p>', "html"],
    ["an emoji and Latin", "▶️ YouTube: شاهد التسجيل الكامل.", "markdown"],
    ["a list", "- iPhone\n- الهاتف الجديد", "markdown"],
    ["a quotation", '> "We will not withdraw"\n\nقال الوزير ذلك.', "markdown"],
  ] as const)(
    "content starting with %s: the first line holds text",
    async (_what, body, format) => {
      const entry = record("content", "عنوان", body, format);
      expect(entry.contentHtml).toContain(RLM);
      const unmarked = entry.contentHtml.replace(RLM, "");
      // The same place as without any mark: no blank line in front.
      expect(await firstTextOffset(entry.contentHtml)).toBe(await firstTextOffset(unmarked));
      // Where it was before, in front of the first block, it took a line of its own.
      const before = unmarked.replace(/^(<div[^>]*>)/, `$1${RLM}`);
      expect(await firstTextOffset(before)).toBeGreaterThan(await firstTextOffset(unmarked));
    },
    60_000,
  );
});
