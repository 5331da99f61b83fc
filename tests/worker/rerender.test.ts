/**
 * After a configuration or renderer change, the Publisher re-renders every document in
 * alarm-driven batches, resuming after a restart, while reads keep working.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Publisher } from "../../src/worker/publisher.ts";
import { publisherOf, siteOf } from "../../src/worker/site-config.ts";
import { DOC_PREFIX, type DocMeta } from "../../src/worker/store/keys.ts";
import { request, sampleArticle, TOKEN } from "./helpers.ts";

const OLD_BUILD = "0ld0b111";

async function bulk(from: number, count: number) {
  const articles = Array.from({ length: count }, (_, i) => ({
    slug: `crawl-${from + i}`,
    ...sampleArticle({
      title: `عنوان ${from + i}`,
      categories: [{ slug: `desk-${(from + i) % 7}`, label: `قسم ${(from + i) % 7}` }],
    }),
  }));
  const response = await request("/api/articles", {
    method: "PUT",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ articles }),
  });
  expect(response.status).toBe(200);
}

async function docBuilds(): Promise<Map<string, string>> {
  const builds = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await env.ARTICLES.list<DocMeta>({
      prefix: DOC_PREFIX,
      ...(cursor ? { cursor } : {}),
    });
    for (const key of page.keys) builds.set(key.name, key.metadata?.build ?? "none");
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return builds;
}

/** Every stored document as an older release left it. */
async function makeAllStale(): Promise<void> {
  for (const key of (await docBuilds()).keys()) {
    const { value, metadata } = await env.ARTICLES.getWithMetadata<DocMeta>(key, "arrayBuffer");
    await env.ARTICLES.put(key, value as ArrayBuffer, {
      metadata: { ...(metadata as DocMeta), build: OLD_BUILD },
    });
  }
}

async function untilDone(stub: ReturnType<typeof publisherOf>): Promise<void> {
  for (let i = 0; i < 200 && (await stub.rerenderStatus()).running; i++) {
    // Alarms run on their own; a pending one can also be run at once.
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 20));
  }
  expect(await stub.rerenderStatus()).toEqual({ running: false });
}

// Hundreds of documents rendered and written: more than vitest's default 5 s on a busy machine.
describe("full re-render after a build change", { timeout: 30_000 }, () => {
  it("rewrites every document, batch by batch, while reads keep working", async () => {
    await bulk(0, 200);
    await bulk(200, 60);
    const stub = publisherOf(env);
    await makeAllStale();
    await runInDurableObject(stub, async (_: Publisher, state) => {
      state.storage.sql.exec("UPDATE state SET value = ? WHERE name = 'build'", OLD_BUILD);
    });
    await evictDurableObject(stub);
    expect((await stub.rerenderStatus()).running).toBe(true);
    expect((await request("/feed.xml")).status).toBe(200);
    await untilDone(stub);

    const { build } = siteOf(env);
    const builds = await docBuilds();
    // 260 article pages, 7 desks and the author, the site (3 feeds and home), 6 archive pages.
    expect(builds.size).toBeGreaterThanOrEqual(260 + 8 * 3 + 4 + 6 * 3);
    expect([...builds].filter(([, b]) => b !== build).map(([k]) => k)).toEqual([]);
  });

  it("an interrupted re-render resumes from its saved cursor after a restart", async () => {
    await bulk(0, 120);
    const stub = publisherOf(env);
    await makeAllStale();
    const { build } = siteOf(env);
    // As a restart leaves it: half way through the article pages.
    await runInDurableObject(stub, async (_: Publisher, state) => {
      const set = (name: string, value: string) =>
        state.storage.sql.exec(
          "INSERT INTO state (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
          name,
          value,
        );
      set("build", OLD_BUILD);
      set("rerender_build", build);
      set("rerender_cursor", JSON.stringify({ phase: "articles", after: "crawl-50" }));
    });
    await evictDurableObject(stub);
    await untilDone(stub);
    const builds = await docBuilds();
    const page = (slug: string) => builds.get(`${DOC_PREFIX}/articles/${slug}`);
    // Slug order: crawl-50 < crawl-51 < … < crawl-99; crawl-100 … crawl-119 and crawl-5 sort before.
    expect(page("crawl-51")).toBe(build);
    expect(page("crawl-99")).toBe(build);
    expect(page("crawl-50")).toBe(OLD_BUILD);
    expect(page("crawl-100")).toBe(OLD_BUILD);
    expect(builds.get(`${DOC_PREFIX}/feed.xml`)).toBe(OLD_BUILD);
  });
});
