/**
 * Nothing an editor sends, nothing stored, and nothing anyone requests stops publishing:
 * an article that cannot be rendered or stored is refused before anything is written; a
 * stored record that cannot be rendered is left out (and logged under its key) while
 * everything else publishes, also after a restart; paths that name no document answer
 * 404 without reaching the writer.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { publisherOf } from "../../src/worker/site-config.ts";
import { type DocMeta, docKey } from "../../src/worker/store/keys.ts";
import { publish, request, sampleArticle, snapshotFeeds } from "./helpers.ts";
import { readRawRecord, writeRawRecord } from "./stored-records.ts";

const publisher = () => publisherOf(env);
const rebuilds = async () => (await publisher().stats()).rebuilds;
const ids = async (path: string) =>
  ((await (await request(path)).json()) as { items: { id: string }[] }).items.map((i) => i.id);
const idOf = (slug: string) => `http://localhost:8787/articles/${slug}`;
/** Deeper than marked's recursion can go: rendering it throws RangeError. */
const TOO_DEEP = `${"> ".repeat(10_000)}x`;

afterEach(() => vi.restoreAllMocks());

describe("articles that cannot be published are refused before anything is written", () => {
  it.each([
    ["a body too deeply nested to render", { body: TOO_DEEP }, /render|deep|nest/i, "after-deep"],
    [
      "a body that renders past the per-item byte limit",
      { body: '"'.repeat(200_000) },
      /bytes/,
      "after-big",
    ],
  ])(
    "%s: 422 naming the body; feeds and the article unchanged",
    async (name, overrides, message, next) => {
      await publish("bystander", sampleArticle());
      const before = await snapshotFeeds();
      const response = await publish("refused-article", sampleArticle(overrides));
      expect(response.status).toBe(422);
      const { error } = (await response.json()) as {
        error: { fields: { path: string; message: string }[] };
      };
      expect(error.fields.map((f) => f.path)).toContain("body");
      expect(error.fields.map((f) => f.message).join(" ")).toMatch(message);
      expect(await snapshotFeeds()).toEqual(before);
      expect(await readRawRecord("refused-article")).toBeNull();
      expect((await request("/articles/refused-article")).status).toBe(404);
      // And the next publish works.
      expect((await publish(next, sampleArticle({ title: name }))).status).toBe(201);
    },
  );
});

describe("a stored record beyond what ingestion accepts", () => {
  it("is rendered harmlessly and never stops publishing, before and after a restart", async () => {
    for (const slug of ["poison-record", "healthy-a"])
      expect((await publish(slug, sampleArticle({ title: slug }))).status).toBe(201);
    // The record changes behind the writer's back (old data, a renderer upgrade, a bug):
    // 10,000 nested quotes, which the body limits refuse and marked could not parse.
    const stored = JSON.parse((await readRawRecord("poison-record")) as string);
    stored.article.body = TOO_DEEP;
    await writeRawRecord("poison-record", JSON.stringify(stored));
    await evictDurableObject(publisher());

    expect((await publish("healthy-b", sampleArticle({ title: "healthy-b" }))).status).toBe(201);
    // Rendered again after the edit of a neighbour: as plain text, not parsed.
    expect(
      (await publish("poison-record", sampleArticle({ title: "poison-record 2" }))).status,
    ).toBe(200);
    const site = await ids("/feed.json");
    expect(site).toEqual(expect.arrayContaining([idOf("healthy-a"), idOf("healthy-b")]));

    await evictDurableObject(publisher());
    expect((await publish("healthy-c", sampleArticle({ title: "healthy-c" }))).status).toBe(201);
    expect(await ids("/categories/politics/feed.json")).toEqual(
      expect.arrayContaining([idOf("healthy-a"), idOf("healthy-b"), idOf("healthy-c")]),
    );
    for (const path of ["/feed.xml", "/atom.xml", "/", "/articles/healthy-c"])
      expect((await request(path)).status).toBe(200);
  });

  it("a record that cannot be read is left out and logged under its key", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect((await publish("unreadable-one", sampleArticle({ title: "x" }))).status).toBe(201);
    await writeRawRecord("unreadable-one", "{not json");
    await evictDurableObject(publisher());
    expect((await publish("readable-two", sampleArticle({ title: "y" }))).status).toBe(201);
    const site = await ids("/feed.json");
    expect(site).toContain(idOf("readable-two"));
    expect(site).not.toContain(idOf("unreadable-one"));
    expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toContain(
      "article:unreadable-one",
    );
  });
});

describe("the writer is not reachable from outside", () => {
  it.each([
    ["an unknown category", "/categories/no-such-desk/feed.xml"],
    ["an unknown author", "/authors/no-such-writer/atom.xml"],
    ["an unknown article", "/articles/no-such-article"],
    ["an archive page past the open one", "/archive/99999/feed.json"],
    ["a 600-character category", `/categories/${"a".repeat(600)}/feed.xml`],
    ["a 600-character article", `/articles/${"a".repeat(600)}`],
    ["a 600-digit archive page", `/archive/${"9".repeat(600)}/feed.xml`],
    ["a 5,000-character path", `/${"x".repeat(5000)}`],
  ])("%s answers 404 without a render", async (_, path) => {
    await publish("exists", sampleArticle());
    const before = await rebuilds();
    const response = await request(path);
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(await rebuilds()).toBe(before);
  });

  it("a stale document is re-rendered once; asked again at once, the stale copy is served", async () => {
    await publish(
      "stale-case",
      sampleArticle({ authors: [{ name: "كاتب", slug: "stale-writer" }] }),
    );
    const path = "/authors/stale-writer/atom.xml";
    const makeStale = async () => {
      const { value, metadata } = await env.ARTICLES.getWithMetadata<DocMeta>(docKey(path), "text");
      await env.ARTICLES.put(docKey(path), value as string, {
        metadata: { ...(metadata as DocMeta), build: "stale000" },
      });
      return value as string;
    };
    const fresh = await makeStale();
    const before = await rebuilds();
    const first = await request(path);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe(fresh);
    expect(await rebuilds()).toBe(before + 1);
    const { metadata } = await env.ARTICLES.getWithMetadata<DocMeta>(docKey(path));
    expect(metadata?.build).not.toBe("stale000");

    await makeStale();
    const second = await request(path);
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(fresh);
    expect(await rebuilds()).toBe(before + 1);
  });
});
