/**
 * Scheduled, embargoed, expiring and draft stories, driven by the Publisher's real
 * alarm in workerd with short offsets: a story is in no public document before its
 * time, in all of them at its time, and leaves all of them when it expires.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { publisherOf } from "../../src/worker/site-config.ts";
import { publish, request, sampleArticle, TOKEN } from "./helpers.ts";

const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };
const idOf = (slug: string) => `http://localhost:8787/articles/${slug}`;
const feedIds = async (path = "/feed.json") =>
  ((await (await request(path)).json()) as { items: { id: string }[] }).items.map((i) => i.id);
const apiStatus = async (slug: string) =>
  ((await (await request(`/api/articles/${slug}`, auth)).json()) as { status: string }).status;
const isoIn = (ms: number) => new Date(Math.ceil((Date.now() + ms) / 1000) * 1000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 8000): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await sleep(50);
  }
  return Date.now();
}

// Real alarms a second or two ahead: more than vitest's default 5 s on a busy machine.
describe("a scheduled story", { timeout: 20_000 }, () => {
  it("is in no public document before its time, and in every one from its time on", async () => {
    const published = isoIn(2000);
    const slug = "embargoed-story";
    const response = await publish(
      slug,
      sampleArticle({ published, categories: [{ slug: "embargo-desk", label: "قسم" }] }),
    );
    expect(response.status).toBe(201);
    expect(((await response.json()) as { status: string }).status).toBe("scheduled");
    expect(await feedIds()).not.toContain(idOf(slug));
    expect((await request(`/articles/${slug}`)).status).toBe(404);
    expect((await request("/categories/embargo-desk/feed.json")).status).toBe(404);
    expect(await (await request("/")).text()).not.toContain(slug);
    expect(await apiStatus(slug)).toBe("scheduled");
    const listed = (await (await request("/api/articles?status=scheduled", auth)).json()) as {
      articles: { slug: string; status: string }[];
    };
    expect(listed.articles.map((a) => a.slug)).toContain(slug);
    // Editors can see it as it will be.
    const preview = await request(`/api/articles/${slug}/preview`, auth);
    expect(preview.status).toBe(200);
    expect(preview.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await preview.text()).toContain("عنوان تجريبي");
    expect((await request(`/api/articles/${slug}/preview`)).status).toBe(401);

    const appeared = await until(async () => (await feedIds()).includes(idOf(slug)));
    expect(appeared).toBeGreaterThanOrEqual(Date.parse(published));
    expect(await feedIds("/categories/embargo-desk/feed.json")).toEqual([idOf(slug)]);
    expect((await request(`/articles/${slug}`)).status).toBe(200);
    expect(await apiStatus(slug)).toBe("live");
    // Dated by its publication time, as any new article.
    const atom = await (await request("/atom.xml")).text();
    expect(atom).toContain(`<updated>${published.replace(".000Z", "Z")}</updated>`);
  });
});

describe("an expiring story", { timeout: 20_000 }, () => {
  it("leaves every document when it expires: tombstone, 410, record kept", async () => {
    const slug = "expiring-story";
    const expires = isoIn(1500);
    expect((await publish(slug, sampleArticle({ expires }))).status).toBe(201);
    expect(await feedIds()).toContain(idOf(slug));
    await until(async () => !(await feedIds()).includes(idOf(slug)));
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expires));
    expect((await request(`/articles/${slug}`)).status).toBe(410);
    const atom = await (await request("/atom.xml")).text();
    expect(atom).toContain(
      `<at:deleted-entry ref="${idOf(slug)}" when="${expires.replace(".000Z", "Z")}"`,
    );
    expect(await apiStatus(slug)).toBe("expired");
    const found = (await (await request(`/api/articles/${slug}`, auth)).json()) as {
      title: string;
    };
    expect(found.title).toBe("عنوان تجريبي");
  });

  it("refuses an expiry that is not after publication", async () => {
    const response = await publish(
      "bad-expiry",
      sampleArticle({ expires: "2020-01-07T08:00:00+02:00" }),
    );
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain('"path":"expires"');
  });
});

describe("drafts", () => {
  it("a draft is in no public document until it is published", async () => {
    const slug = "draft-story";
    const draft = await publish(slug, sampleArticle({ draft: true }));
    expect(draft.status).toBe(201);
    expect(await feedIds()).not.toContain(idOf(slug));
    expect((await request(`/articles/${slug}`)).status).toBe(404);
    expect(await apiStatus(slug)).toBe("draft");
    expect((await publish(slug, sampleArticle({ draft: false }))).status).toBe(200);
    expect(await feedIds()).toContain(idOf(slug));
    expect(await apiStatus(slug)).toBe("live");
  });

  it("taking a live story back to draft retracts it (tombstone, 410) and keeps it editable", async () => {
    const slug = "withdrawn-story";
    expect((await publish(slug, sampleArticle())).status).toBe(201);
    expect((await publish(slug, sampleArticle({ draft: true }))).status).toBe(200);
    expect(await feedIds()).not.toContain(idOf(slug));
    expect((await request(`/articles/${slug}`)).status).toBe(410);
    expect(await (await request("/atom.xml")).text()).toContain(`ref="${idOf(slug)}"`);
    expect(await apiStatus(slug)).toBe("draft");
    const counts = await publisherOf(env).list("draft", 0, 10);
    expect(counts.entries.map((e) => e.slug)).toContain(slug);
  });
});
