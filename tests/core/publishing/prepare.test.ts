/** An article is checked against the documents that will carry it before anything is written. */
import { describe, expect, it } from "vitest";
import { ITEM_MAX_BYTES } from "../../../src/core/publishing/limits.ts";
import {
  itemBytes,
  itemBytesBound,
  prepareRecord,
  publishProblems,
} from "../../../src/core/publishing/prepare.ts";
import { type article, storedRecord, testSite } from "../../support/catalog-fixtures.ts";

const site = testSite();
const recordOf = (overrides: Parameters<typeof article>[0]) => storedRecord(overrides);
const problems = (overrides: Parameters<typeof article>[0]) =>
  publishProblems(site, prepareRecord(site, recordOf(overrides)));

describe("publishProblems", () => {
  it("an ordinary article and a 200,000-character Arabic body can be published", () => {
    expect(problems({})).toEqual([]);
    expect(problems({ body: "ب".repeat(199_990) })).toEqual([]);
  });

  it("a body that grows past the per-item limit once rendered is refused, naming the format and the limit", () => {
    // Each " becomes &quot; (\" in JSON): 200,000 characters render to over 1 MB.
    const found = problems({ body: '"'.repeat(200_000) });
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) {
      expect(p.path).toBe("body");
      expect(p.message).toMatch(new RegExp(`at most ${ITEM_MAX_BYTES} bytes`));
    }
    expect(found.map((p) => p.message).join(" ")).toMatch(/in the (rss|atom|json) feed/);
  });

  it("a language tag that would push the page's KV metadata over 1,024 bytes is refused", () => {
    // Validation bounds tags at ingestion; this guards records that bypassed it.
    const found = problems({ language: `ar-${"x".repeat(994)}` });
    expect(found).toEqual([
      {
        path: "language",
        message: expect.stringMatching(/KV metadata \d+ bytes; KV takes at most 1024/),
      },
    ]);
  });

  // publishProblems renders the trial feeds only when this bound cannot prove the item
  // fits: the bound must hold for any entry, however its text escapes.
  it.each([
    ["quotes and ampersands everywhere", "\"&'<>"],
    ["Arabic", "بيت المقدس "],
    ["bidi marks and emoji", "\u200f\u{1F600}\u00a0"],
  ])("itemBytesBound is above every format's real item bytes: %s", (_, unit) => {
    for (const size of [1, 50, 2_000]) {
      const text = (n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
      const record = recordOf({
        title: text(Math.min(size, 200)),
        summary: text(Math.min(size, 500)),
        body: text(size * 10),
        format: "markdown",
        authors: [
          { name: text(Math.min(size, 100)), slug: "a", url: "https://example.org/a?x=1&y=2" },
        ],
        categories: [{ slug: "c", label: text(Math.min(size, 100)) }],
        image: {
          url: "/media/lead.jpg?x=1&y=2",
          type: "image/jpeg",
          length: 1234,
          width: 800,
          height: 600,
          alt: text(Math.min(size, 300)),
        },
      });
      const { entry } = prepareRecord(site, record);
      const bound = itemBytesBound(entry);
      for (const bytes of itemBytes(site, entry)) {
        expect(bytes).toBeGreaterThan(0);
        expect(bytes).toBeLessThan(bound);
      }
    }
  });

  it("an entry the bound cannot clear still gets the exact check, and passes when it fits", () => {
    const record = recordOf({ body: "ب".repeat(199_990) });
    const { entry } = prepareRecord(site, record);
    expect(itemBytesBound(entry)).toBeGreaterThan(ITEM_MAX_BYTES);
    expect(Math.max(...itemBytes(site, entry))).toBeLessThan(ITEM_MAX_BYTES);
  });
});
