/** Conditional GET on feeds and pages (RFC 9110 §13), through the Worker's own fetch. */
import { beforeAll, describe, expect, it } from "vitest";
import { FEED_PATHS, publish, request, sampleArticle } from "./helpers.ts";

const PATHS = [...FEED_PATHS, "/", "/articles/conditional-story"];

beforeAll(async () => {
  expect((await publish("conditional-story", sampleArticle())).status).toBe(201);
});

async function validators(path: string) {
  const res = await request(path);
  expect(res.status).toBe(200);
  return {
    etag: res.headers.get("ETag") as string,
    lastModified: res.headers.get("Last-Modified") as string,
  };
}

const shift = (httpDate: string, seconds: number) =>
  new Date(Date.parse(httpDate) + seconds * 1000).toUTCString();

describe.each(PATHS)("%s", (path) => {
  it("sends a strong ETag and Last-Modified", async () => {
    const { etag, lastModified } = await validators(path);
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/);
    expect(Number.isNaN(Date.parse(lastModified))).toBe(false);
  });

  it("answers 304 with no body for a matching If-None-Match, keeping the caching headers", async () => {
    const { etag } = await validators(path);
    const res = await request(path, { headers: { "If-None-Match": etag } });
    expect(res.status).toBe(304);
    expect(await res.text()).toBe("");
    expect(res.headers.get("ETag")).toBe(etag);
    expect(res.headers.get("Cache-Control")).toMatch(/max-age=60/);
    expect(res.headers.get("Content-Type")).toBeNull();
  });

  it("keeps on a 304 exactly the headers RFC 9110 §15.4.5 names that the 200 sent, with the same values", async () => {
    const full = await request(path);
    const res = await request(path, {
      headers: { "If-None-Match": full.headers.get("ETag") ?? "" },
    });
    expect(res.status).toBe(304);
    const kept = ["cache-control", "content-location", "date", "etag", "expires", "vary"];
    // Last-Modified and Link are not required, but let a cache refresh what it stored.
    kept.push("last-modified", "link");
    const expected = [...full.headers].filter(([name]) => kept.includes(name));
    expect([...res.headers]).toEqual(expected);
    expect(expected.map(([name]) => name)).toEqual(
      expect.arrayContaining(["cache-control", "etag", "last-modified"]),
    );
  });

  it("answers 200 for a non-matching ETag, and 304 for a list that contains it, a weak form of it, or *", async () => {
    const { etag } = await validators(path);
    expect((await request(path, { headers: { "If-None-Match": '"nope"' } })).status).toBe(200);
    expect(
      (await request(path, { headers: { "If-None-Match": `"a", ${etag}, "b"` } })).status,
    ).toBe(304);
    expect((await request(path, { headers: { "If-None-Match": `W/${etag}` } })).status).toBe(304);
    expect((await request(path, { headers: { "If-None-Match": "*" } })).status).toBe(304);
  });

  it("compares If-Modified-Since with Last-Modified: equal or after → 304, before → 200, invalid → 200", async () => {
    const { lastModified } = await validators(path);
    expect((await request(path, { headers: { "If-Modified-Since": lastModified } })).status).toBe(
      304,
    );
    expect(
      (await request(path, { headers: { "If-Modified-Since": shift(lastModified, 3600) } })).status,
    ).toBe(304);
    expect(
      (await request(path, { headers: { "If-Modified-Since": shift(lastModified, -1) } })).status,
    ).toBe(200);
    expect((await request(path, { headers: { "If-Modified-Since": "not a date" } })).status).toBe(
      200,
    );
  });

  it("lets If-None-Match take precedence over If-Modified-Since", async () => {
    const { lastModified } = await validators(path);
    const res = await request(path, {
      headers: { "If-None-Match": '"other"', "If-Modified-Since": shift(lastModified, 3600) },
    });
    expect(res.status).toBe(200);
    const { etag } = await validators(path);
    const both = await request(path, {
      headers: { "If-None-Match": etag, "If-Modified-Since": shift(lastModified, -3600) },
    });
    expect(both.status).toBe(304);
  });

  it("answers HEAD with GET's headers and no body", async () => {
    const get = await request(path);
    const head = await request(path, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    for (const name of [
      "Content-Type",
      "ETag",
      "Last-Modified",
      "Cache-Control",
      "Content-Language",
    ]) {
      expect(head.headers.get(name)).toBe(get.headers.get(name));
    }
  });
});

describe("a changed article", () => {
  it("changes the ETag of the feeds and its page", async () => {
    const before = await Promise.all(PATHS.map((p) => validators(p)));
    const res = await publish("conditional-story", sampleArticle({ title: "عنوان معدل" }));
    expect(res.status).toBe(200);
    const after = await Promise.all(PATHS.map((p) => validators(p)));
    for (const [i, path] of PATHS.entries()) {
      expect(after[i]?.etag, path).not.toBe(before[i]?.etag);
      const stale = await request(path, {
        headers: { "If-None-Match": before[i]?.etag as string },
      });
      expect(stale.status, path).toBe(200);
    }
  });
});
