/** Adding a correction is an edit readers see: `updated` moves, and the page shows it. */
import { describe, expect, it } from "vitest";
import { publish, request, sampleArticle } from "./helpers.ts";

describe("a correction", () => {
  it("moves updated and appears on the article page and in the feeds", async () => {
    const first = (await (await publish("corrected-story", sampleArticle())).json()) as {
      updated: string;
    };
    const corrected = await publish(
      "corrected-story",
      sampleArticle({ corrections: [{ date: "2020-01-08T10:00:00+02:00", text: "صُحّح الاسم." }] }),
    );
    expect(corrected.status).toBe(200);
    const { updated } = (await corrected.json()) as { updated: string };
    expect(Date.parse(updated)).toBeGreaterThan(Date.parse(first.updated));
    expect(await (await request("/articles/corrected-story")).text()).toContain("صُحّح الاسم.");
    const feed = (await (await request("/feed.json")).json()) as {
      items: { id: string; date_modified: string; content_html: string }[];
    };
    const item = feed.items.find((i) => i.id.endsWith("/corrected-story"));
    expect(item?.content_html).toContain('<p class="correction">');
    expect(Date.parse(item?.date_modified ?? "")).toBe(Date.parse(updated));
  });

  it("is refused without a date or text, naming the field", async () => {
    const response = await publish(
      "bad-correction",
      sampleArticle({ corrections: [{ text: "x" }] }),
    );
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain("corrections.0.date");
  });
});
