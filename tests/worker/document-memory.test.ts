/**
 * The isolate's short-lived document memory: hot feeds answered without a KV read for
 * DOC_MEMORY_TTL_MS, forgotten at once when a change goes through this isolate.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../src/worker/index.ts";
import { DocumentMemory } from "../../src/worker/store/document-memory.ts";
import type { DocMeta } from "../../src/worker/store/keys.ts";
import { docKey } from "../../src/worker/store/keys.ts";
import { BASE, sampleArticle, TOKEN } from "./helpers.ts";

const meta = (build = "b1"): DocMeta => ({
  etag: '"x"',
  lastModified: "2020-01-07T07:00:00Z",
  contentType: "text/plain",
  language: "ar",
  length: 0,
  status: 200,
  build,
});
const bytes = (n: number) => new ArrayBuffer(n);

describe("DocumentMemory", () => {
  it("answers until the time to live ends, and not for another build", () => {
    const memory = new DocumentMemory(1000);
    memory.set("/feed.xml", { body: bytes(10), meta: meta() }, 2000);
    expect(memory.get("/feed.xml", "b1", 1999)?.body.byteLength).toBe(10);
    expect(memory.get("/feed.xml", "b2", 1999)).toBeUndefined();
    memory.set("/atom.xml", { body: bytes(10), meta: meta() }, 2000);
    expect(memory.get("/atom.xml", "b1", 2000)).toBeUndefined();
    expect(memory.size.documents).toBe(0);
  });

  it("stays within its byte budget, oldest out first, and refuses what cannot fit", () => {
    const memory = new DocumentMemory(100);
    memory.set("/a", { body: bytes(40), meta: meta() }, 10);
    memory.set("/b", { body: bytes(40), meta: meta() }, 10);
    memory.set("/c", { body: bytes(40), meta: meta() }, 10);
    expect(memory.get("/a", "b1", 0)).toBeUndefined();
    expect(memory.get("/c", "b1", 0)).toBeDefined();
    expect(memory.size.bytes).toBe(80);
    memory.set("/big", { body: bytes(101), meta: meta() }, 10);
    expect(memory.get("/big", "b1", 0)).toBeUndefined();
    memory.clear();
    expect(memory.size).toEqual({ documents: 0, bytes: 0 });
  });
});

describe("DocumentMemory.coalesce", () => {
  it("shares one load among concurrent callers, then loads again", async () => {
    const memory = new DocumentMemory(100);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return loads;
    };
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => memory.coalesce("/feed.xml", load)),
    );
    expect(results).toEqual([1, 1, 1, 1, 1]);
    expect(await memory.coalesce("/feed.xml", load)).toBe(2);
  });
});

describe("with DOC_MEMORY_TTL_MS on", () => {
  const withMemory = { ...env, DOC_MEMORY_TTL_MS: "60000" };
  async function call(path: string, init: RequestInit = {}) {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(new URL(path, BASE), init), withMemory, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }
  const put = (title: string) =>
    call("/api/articles/remembered", {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(sampleArticle({ title })),
    });

  it("serves a remembered feed without reading KV, and shows a change made through this isolate at once", async () => {
    expect((await put("النسخة الأولى")).status).toBe(201);
    const first = await (await call("/feed.json")).text();
    expect(first).toContain("النسخة الأولى");
    // A write that bypasses the API is not seen while the memory is fresh…
    const stored = await env.ARTICLES.getWithMetadata<DocMeta>(docKey("/feed.json"), "arrayBuffer");
    await env.ARTICLES.put(docKey("/feed.json"), "garbage", { metadata: stored.metadata });
    expect(await (await call("/feed.json")).text()).toBe(first);
    // …but a publish through this isolate is, immediately.
    expect((await put("النسخة الثانية")).status).toBe(200);
    expect(await (await call("/feed.json")).text()).toContain("النسخة الثانية");
  });
});
