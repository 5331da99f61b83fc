/**
 * The seed article published through the API and read back *as served* by every real
 * parser that runs in workerd, in all three formats: title and paragraphs come back
 * character for character, with language ar and right-to-left content.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { PARSERS, parseWith } from "../../tools/feed-parsers.ts";
import seed from "../fixtures/seed-article-ar.txt?raw";
import { publish, request, sampleArticle } from "./helpers.ts";

const [TITLE, ...rest] = seed.split("\n");
const PARAGRAPHS = rest.join("\n").split(/\n+/).filter(Boolean);

/** Paragraph texts of content HTML (parsers hand back HTML, entity-encoded or not). */
function paragraphsOf(html: string): string[] {
  return html
    .replace(/<\/p>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .split("\n")
    .map((p) => p.trim())
    .filter(Boolean);
}

beforeAll(async () => {
  const res = await publish(
    "esper-denies-iraq-withdrawal-letter",
    sampleArticle({ title: TITLE, body: PARAGRAPHS.join("\n\n"), summary: PARAGRAPHS[0] }),
  );
  expect(res.status).toBe(201);
});

describe.each([
  ["rss", "/feed.xml"],
  ["atom", "/atom.xml"],
  ["json", "/feed.json"],
] as const)("%s as served", (format, path) => {
  it.each(PARSERS[format])("reads back exactly through %s", async (parser) => {
    const res = await request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Language")).toBe("ar");
    const feed = parseWith(parser, await res.text(), format);
    const item = feed.items[0];
    expect(item?.title).toBe(TITLE);
    expect(paragraphsOf(item?.content ?? "")).toEqual(PARAGRAPHS);
    if (parser !== "@extractus/feed-extractor") expect(item?.authors).toEqual(["سعيد عريقات"]);
  });

  it("carries language ar and dir=rtl content", async () => {
    const text = await (await request(path)).text();
    const feed = parseWith(format === "json" ? "JSON.parse" : "strict-xml", text, format);
    expect(feed.language).toBe("ar");
    expect(feed.items[0]?.content).toMatch(/^<div dir="rtl" lang="ar">/);
  });
});
