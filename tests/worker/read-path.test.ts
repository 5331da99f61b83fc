import { describe, expect, it } from "vitest";
import { publish, request, sampleArticle } from "./helpers.ts";

describe("read path", () => {
  it("serves an empty but valid RSS feed before anything is published", async () => {
    const res = await request("/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    expect(await res.text()).toContain("<language>ar</language>");
  });

  it("serves a published article in all three formats with RTL metadata", async () => {
    expect((await publish("first-article", sampleArticle())).status).toBe(201);
    const rss = await request("/feed.xml");
    expect(rss.headers.get("Content-Language")).toBe("ar");
    expect(await rss.text()).toContain("عنوان تجريبي");
    const atom = await request("/atom.xml");
    expect(atom.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const json = await request("/feed.json");
    expect(json.headers.get("Content-Type")).toBe("application/feed+json; charset=utf-8");
    const feed = (await json.json()) as {
      version: string;
      language: string;
      items: { title: string }[];
    };
    expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(feed.items[0]?.title).toBe("عنوان تجريبي");
  });
});
