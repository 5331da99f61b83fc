/**
 * Publishes that arrive while a rebuild runs share the next rebuild (group commit):
 * fewer KV writes (KV takes one write per second per key) and no lost articles.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { publisherOf } from "../../src/worker/site-config.ts";
import { publish, request, sampleArticle } from "./helpers.ts";

describe("group commit", () => {
  it("rebuilds far fewer times than there are concurrent publishes, and keeps every article", async () => {
    const before = await publisherOf(env).stats();
    const count = 30;
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        publish(`group-${i}`, sampleArticle({ title: `خبر ${i}` })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(count).fill(201));
    const after = await publisherOf(env).stats();
    expect(after.articles - before.articles).toBe(count);
    const rebuilds = after.rebuilds - before.rebuilds;
    expect(rebuilds).toBeGreaterThan(0);
    expect(rebuilds).toBeLessThan(count / 2);
    const feed = (await (await request("/feed.json")).json()) as { items: { id: string }[] };
    expect(feed.items.filter((i) => i.id.includes("/articles/group-"))).toHaveLength(count);
  }, 60_000);

  it("rebuilds once for one publish, and not at all for an unchanged one", async () => {
    const before = (await publisherOf(env).stats()).rebuilds;
    expect((await publish("single", sampleArticle())).status).toBe(201);
    expect((await publisherOf(env).stats()).rebuilds - before).toBe(1);
    expect((await publish("single", sampleArticle())).status).toBe(200);
    expect((await publisherOf(env).stats()).rebuilds - before).toBe(1);
  });
});
