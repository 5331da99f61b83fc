/**
 * A person who opens a feed link in a browser sees a readable right-to-left page, not
 * raw XML: the feed's pre-rendered HTML view (feed.html beside the feed), served at the
 * feed's own URL to a request that asks for text/html. No XSLT is involved (Chromium is
 * removing it). Feed readers at the same URLs still get the feed's bytes. Runs the real
 * Worker in workerd (wrangler's unstable_startWorker, tools/local-worker.ts) and Debian's
 * Chromium through playwright-core; skipped, with a message, where Chromium is not
 * installed (.ci/run installs it).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAll } from "../../tools/feed-parsers.ts";
import { type LocalWorker, startLocalWorker } from "../../tools/local-worker.ts";
import { TEST_ADMIN_TOKEN as TOKEN } from "../support/admin-token.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "../artifacts");

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`browser view test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const TITLES = ["إسبر ينفي صحة رسالة الانسحاب", "CNN: البرلمان العراقي يصوت"];
/** As the pages show them: a headline whose first strong letter is Latin gets an RLM. */
const SHOWN = [TITLES[0], `\u200F${TITLES[1]}`];

describe.skipIf(!hasChromium)("feeds in a browser", () => {
  let worker: LocalWorker | undefined;
  let browser: Browser | undefined;
  let base: string;

  beforeAll(async () => {
    worker = await startLocalWorker({
      persist: await mkdtemp(join(tmpdir(), "browser-view-")),
      secrets: { ADMIN_TOKEN: TOKEN },
    });
    base = worker.url.origin;
    for (const [slug, title] of [
      ["first", TITLES[0]],
      ["second", TITLES[1]],
    ]) {
      const res = await fetch(`${base}/api/articles/${slug}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({
          title,
          summary: "ملخص الخبر",
          body: "نص الخبر.",
          language: "ar",
          authors: [{ name: "سعيد عريقات", slug: "saeed-ereikat" }],
          categories: [{ slug: "politics", label: "سياسة" }],
          published: slug === "first" ? "2020-01-07T09:00:00+02:00" : "2020-01-06T09:00:00+02:00",
        }),
      });
      expect(res.status).toBe(201);
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
  });

  it.each([
    ["/feed.xml", ""],
    ["/atom.xml", ""],
    ["/feed.json", ""],
    ["/categories/politics/feed.xml", "/categories/politics"],
    ["/authors/saeed-ereikat/atom.xml", "/authors/saeed-ereikat"],
    ["/archive/1/feed.json", "/archive/1"],
  ])(
    "navigating to %s shows its HTML view: right to left, the Arabic titles as links",
    async (path, folder) => {
      const page = await (browser as Browser).newPage();
      try {
        const response = await page.goto(`${base}${path}`);
        expect(response?.status()).toBe(200);
        expect(response?.headers()["content-type"]).toBe("text/html; charset=utf-8");
        await page.waitForSelector("ol.items a");
        // Runs in the page, where the DOM exists; typed loosely because Node's lib has no DOM.
        const view = await page.evaluate(() => {
          // biome-ignore lint/suspicious/noExplicitAny: browser globals, see above.
          const w = globalThis as any;
          const doc = w.document;
          const links = [...doc.querySelectorAll("ol.items h3 a")] as {
            textContent: string;
            href: string;
          }[];
          return {
            contentType: doc.contentType as string,
            dir: doc.documentElement.dir as string,
            computedDir: w.getComputedStyle(doc.body).direction as string,
            // A processing instruction would sit among the document's own children.
            instructions: [...doc.childNodes].filter((n: { nodeType: number }) => n.nodeType === 7)
              .length as number,
            source: doc.documentElement.outerHTML as string,
            titles: links.map((a) => a.textContent),
            hrefs: links.map((a) => a.href),
            urls: [...doc.querySelectorAll("input[readonly]")].map(
              (i: { value: string }) => i.value,
            ) as string[],
            alternates: [...doc.querySelectorAll('link[rel="alternate"]')].map(
              (l: { type: string }) => l.type,
            ) as string[],
            about: (doc.querySelector(".about")?.textContent ?? "") as string,
            subscribe: (doc.querySelector(".subscribe")?.textContent ?? "") as string,
          };
        });
        expect(view.contentType).toBe("text/html");
        expect(view.instructions).toBe(0);
        expect(view.source).not.toContain("xml-stylesheet");
        expect(view.dir).toBe("rtl");
        expect(view.computedDir).toBe("rtl");
        expect(view.titles).toEqual(SHOWN);
        // Absolute links under SITE_URL (wrangler.toml's, not this test's port).
        expect(view.hrefs.map((u) => new URL(u).pathname)).toEqual([
          "/articles/first",
          "/articles/second",
        ]);
        // The three URLs to paste into a reader, and autodiscovery of the three formats.
        expect(view.urls.map((u) => new URL(u).pathname)).toEqual([
          `${folder}/feed.xml`,
          `${folder}/atom.xml`,
          `${folder}/feed.json`,
        ]);
        expect(view.alternates).toEqual([
          "application/rss+xml",
          "application/atom+xml",
          "application/feed+json",
        ]);
        expect(view.about).toContain("خلاصة");
        expect(view.subscribe).toContain("Feedly");
        await mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({
          path: join(ARTIFACTS, `browser${path.replaceAll(/[/.]/g, "-")}.png`),
          fullPage: true,
        });
      } finally {
        await page.close();
      }
    },
    60_000,
  );

  it.each([
    ["Accept: application/rss+xml", { Accept: "application/rss+xml" }],
    ["no Accept", {}],
    ["Accept: */*", { Accept: "*/*" }],
  ])("a feed reader that sends %s still gets the RSS bytes", async (_, headers) => {
    const response = await fetch(`${base}/feed.xml`, { headers });
    expect(response.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    expect(response.headers.get("Vary")).toBe("Accept");
    const text = await response.text();
    expect(text).not.toContain("xml-stylesheet");
    for (const feed of parseAll(text, "rss")) {
      expect(
        feed.items.map((i) => i.title),
        feed.parser,
      ).toEqual(SHOWN);
      expect(feed.language, feed.parser).toBe("ar");
    }
  });

  it("the JSON Feed is unchanged for readers", async () => {
    const response = await fetch(`${base}/feed.json`, {
      headers: { Accept: "application/feed+json" },
    });
    expect(response.headers.get("Content-Type")).toBe("application/feed+json; charset=utf-8");
    const [feed] = parseAll(await response.text(), "json");
    expect(feed?.items.map((i) => i.title)).toEqual(SHOWN);
  });
});
