/**
 * A person who opens a feed link in a browser sees a readable right-to-left page (the
 * XSL stylesheet served as a static asset), not raw XML. Runs the real Worker in workerd
 * (wrangler's unstable_startWorker, tools/local-worker.ts) and Debian's Chromium through
 * playwright-core; skipped, with a message, where Chromium is not installed (.ci/run
 * installs it).
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../tools/local-worker.ts";
import { TEST_ADMIN_TOKEN as TOKEN } from "../support/admin-token.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(import.meta.dirname, "../artifacts");

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(`browser view test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

describe.skipIf(!hasChromium)("feeds in a browser", () => {
  let worker: LocalWorker | undefined;
  let base: string;

  beforeAll(async () => {
    worker = await startLocalWorker({
      persist: await mkdtemp(join(tmpdir(), "browser-view-")),
      secrets: { ADMIN_TOKEN: TOKEN },
    });
    base = worker.url.origin;
    for (const [slug, title] of [
      ["first", "إسبر ينفي صحة رسالة الانسحاب"],
      ["second", "CNN: البرلمان العراقي يصوت"],
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
          published: slug === "first" ? "2020-01-07T09:00:00+02:00" : "2020-01-06T09:00:00+02:00",
        }),
      });
      expect(res.status).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
  });

  it.each(["feed.xml", "atom.xml"])(
    "renders /%s as a right-to-left page with the Arabic titles",
    async (file) => {
      const browser = await chromium.launch({
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
      try {
        const page = await browser.newPage();
        await page.goto(`${base}/${file}`);
        await page.waitForSelector("article h2");
        // Runs in the page, where the DOM exists; typed loosely because Node's lib has no DOM.
        const view = await page.evaluate(() => {
          // biome-ignore lint/suspicious/noExplicitAny: browser globals, see above.
          const w = globalThis as any;
          const doc = w.document;
          return {
            dir: w.getComputedStyle(doc.body).direction as string,
            htmlDir: doc.documentElement.getAttribute("dir") as string,
            titles: [...doc.querySelectorAll("article h2")].map((h: { textContent: string }) =>
              h.textContent.trim(),
            ),
            about: (doc.querySelector(".about")?.textContent ?? "") as string,
          };
        });
        expect(view.htmlDir).toBe("rtl");
        expect(view.dir).toBe("rtl");
        expect(view.titles).toEqual([
          "إسبر ينفي صحة رسالة الانسحاب",
          "\u200FCNN: البرلمان العراقي يصوت",
        ]);
        expect(view.about).toContain("للاشتراك");
        await mkdir(ARTIFACTS, { recursive: true });
        await page.screenshot({
          path: join(ARTIFACTS, `browser-${file.replace(".", "-")}.png`),
          fullPage: true,
        });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it("keeps the JSON Feed unchanged (no stylesheet)", async () => {
    const json = await (await fetch(`${base}/feed.json`)).text();
    expect(json.startsWith("{")).toBe(true);
  });
});
