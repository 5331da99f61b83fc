/** WebSub: discovery links, and one ping per change to every hub, retried, never blocking. */
import { describe, expect, it } from "vitest";
import type { HubCall } from "../support/fake-hub.ts";
import { BASE, publish, remove, request, sampleArticle } from "./helpers.ts";

const CATEGORY = `websub-${crypto.randomUUID().slice(0, 8)}`;
const categoryTopic = `${BASE}/categories/${CATEGORY}/feed.xml`;

async function callsFor(topic: string): Promise<HubCall[]> {
  const all = (await (await fetch("http://hub.test/__calls")).json()) as HubCall[];
  return all.filter((c) => c.topics.includes(topic));
}

/** Pings are sent after the publish answers; wait for them (bounded). */
async function waitForCalls(topic: string, hub: string, count: number): Promise<HubCall[]> {
  for (let i = 0; i < 100; i++) {
    const calls = (await callsFor(topic)).filter((c) => c.hub === hub);
    if (calls.length >= count) return calls;
    await new Promise((r) => setTimeout(r, 20));
  }
  return (await callsFor(topic)).filter((c) => c.hub === hub);
}

const article = (title: string) =>
  sampleArticle({ title, categories: [{ slug: CATEGORY, label: "اختبار" }] });

describe("WebSub", () => {
  it("advertises the hubs and self in the feeds and in Link headers", async () => {
    const rss = await request("/feed.xml");
    expect(rss.headers.get("Link")).toBe(
      `<${BASE}/feed.xml>; rel="self", <http://hub.test/>; rel="hub", <http://failing-hub.test/>; rel="hub"`,
    );
    expect(await rss.text()).toContain('<atom:link href="http://hub.test/" rel="hub"/>');
    expect(await (await request("/atom.xml")).text()).toContain(
      '<link rel="hub" href="http://hub.test/"/>',
    );
    const json = (await (await request("/feed.json")).json()) as { hubs: unknown };
    expect(json.hubs).toEqual([
      { type: "WebSub", url: "http://hub.test/" },
      { type: "WebSub", url: "http://failing-hub.test/" },
    ]);
  });

  it("pings each hub exactly once per change with the changed feeds, and a failing hub does not fail the publish", async () => {
    const created = await publish("websub-story", article("خبر أول"));
    expect(created.status).toBe(201);
    const first = await waitForCalls(categoryTopic, "http://hub.test", 1);
    expect(first).toHaveLength(1);
    expect(first[0]?.mode).toBe("publish");
    expect(first[0]?.topics).toEqual(
      expect.arrayContaining([
        `${BASE}/feed.xml`,
        `${BASE}/atom.xml`,
        `${BASE}/feed.json`,
        categoryTopic,
        `${BASE}/categories/${CATEGORY}/atom.xml`,
        `${BASE}/authors/saeed-ereikat/feed.json`,
      ]),
    );
    // Archive pages and article pages are not WebSub topics.
    expect(first[0]?.topics.some((t) => t.includes("/archive/") || t.includes("/articles/"))).toBe(
      false,
    );

    // The failing hub was tried with backoff (4 tries) and given up on; publishing went on.
    expect(await waitForCalls(categoryTopic, "http://failing-hub.test", 4)).toHaveLength(4);

    expect((await publish("websub-story", article("خبر معدل"))).status).toBe(200);
    expect(await waitForCalls(categoryTopic, "http://hub.test", 2)).toHaveLength(2);

    // An unchanged re-publish is not a change: no ping.
    expect((await publish("websub-story", article("خبر معدل"))).status).toBe(200);
    expect((await remove("websub-story")).status).toBe(204);
    const calls = await waitForCalls(categoryTopic, "http://hub.test", 3);
    expect(calls).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 200));
    expect((await callsFor(categoryTopic)).filter((c) => c.hub === "http://hub.test")).toHaveLength(
      3,
    );
  });

  it("a takedown is one ping naming every feed it left, partner feeds included", async () => {
    const slug = "websub-takedown";
    const withImage = {
      ...article("خبر سيُسحب بعد قليل من نشره للتجربة"),
      image: {
        url: `${BASE}/images/lead.jpg`,
        type: "image/jpeg",
        width: 1200,
        height: 900,
        alt: "صورة",
      },
    };
    expect((await publish(slug, withImage)).status).toBe(201);
    await waitForCalls(`${BASE}/partners/msn/feed.xml`, "http://hub.test", 1);
    const before = (await callsFor(categoryTopic)).filter((c) => c.hub === "http://hub.test");
    expect((await remove(slug)).status).toBe(204);
    const after = await waitForCalls(categoryTopic, "http://hub.test", before.length + 1);
    const takedown = after[after.length - 1];
    expect(takedown?.topics).toEqual(
      expect.arrayContaining([
        `${BASE}/feed.xml`,
        categoryTopic,
        `${BASE}/partners/google-news/feed.xml`,
        `${BASE}/partners/msn/feed.xml`,
      ]),
    );
  });
});
