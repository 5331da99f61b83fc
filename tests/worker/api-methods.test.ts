/** Wrong methods answer 405 with Allow; list items carry their title, status and absolute URLs. */
import { describe, expect, it } from "vitest";
import { publish, request, sampleArticle, TOKEN } from "./helpers.ts";

const auth = { Authorization: `Bearer ${TOKEN}` };

describe("405 Method Not Allowed", () => {
  it.each([
    ["POST", "/api/articles", "GET, HEAD, PUT"],
    ["DELETE", "/api/articles", "GET, HEAD, PUT"],
    ["POST", "/api/articles/some-story", "GET, HEAD, PUT, DELETE"],
    ["PATCH", "/api/articles/some-story", "GET, HEAD, PUT, DELETE"],
    ["PUT", "/api/articles/some-story/preview", "GET, HEAD"],
    ["DELETE", "/api/digests", "GET, HEAD"],
  ])("%s %s: 405, Allow: %s, JSON error", async (method, path, allow) => {
    const response = await request(path, { method, headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe(allow);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("method_not_allowed");
    expect(error.message).toContain(allow);
  });

  it.each([
    "/feed.xml",
    "/categories/politics/atom.xml",
    "/categories/politics/feed.html",
    "/archive/1/feed.html",
    "/articles/x",
    "/",
  ])("POST %s: 405 with Allow: GET, HEAD", async (path) => {
    const response = await request(path, { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
  });

  it("a write to a path that is no document is still a 404", async () => {
    expect((await request("/no/such/thing", { method: "POST" })).status).toBe(404);
  });
});

describe("GET /api/articles items", () => {
  it("carry title and status, and every URL is absolute", async () => {
    await publish("titled-story", sampleArticle({ title: "عنوان القائمة" }));
    const response = await request("/api/articles?limit=1", { headers: auth });
    const body = (await response.json()) as {
      articles: { slug: string; title: string; status: string; url: string }[];
      next: string | null;
    };
    const item = body.articles.find((a) => a.slug === "titled-story") ?? body.articles[0];
    expect(item).toMatchObject({ status: "live" });
    expect(typeof item?.title).toBe("string");
    expect(item?.url).toMatch(/^http:\/\/localhost:8787\/articles\//);
    if (body.next) expect(body.next).toMatch(/^http:\/\/localhost:8787\/api\/articles\?/);
    const listed = await request("/api/articles?limit=100", { headers: auth });
    const all = (await listed.json()) as { articles: { slug: string; title: string }[] };
    expect(all.articles.find((a) => a.slug === "titled-story")?.title).toBe("عنوان القائمة");
  });
});
