/**
 * The isolate's short-lived document memory: hot feeds answered without a KV read for
 * DOC_MEMORY_TTL_MS, forgotten at once when a change goes through this isolate.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../src/worker/index.ts";
import { FEED_CACHE_CONTROL, PAGE_CACHE_CONTROL } from "../../src/worker/routes/read.ts";
import {
  CLAIM_MS,
  DocumentMemory,
  documentMemory,
  STALE_MS,
} from "../../src/worker/store/document-memory.ts";
import type { DocMeta } from "../../src/worker/store/keys.ts";
import { docKey } from "../../src/worker/store/keys.ts";
import { BASE, countingWorker, publish, sampleArticle, TOKEN } from "./helpers.ts";

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
    // Kept longer, for the requests that come while one reads its successor.
    expect(memory.size.documents).toBe(1);
    expect(memory.get("/atom.xml", "b1", 2000 + STALE_MS)).toBeUndefined();
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

describe("DocumentMemory: one read per expired copy, no request waiting for another", () => {
  it("answers with the expired copy only while a claim to read its successor holds", () => {
    const memory = new DocumentMemory(1000);
    memory.set("/feed.xml", { body: bytes(10), meta: meta() }, 2000);
    // Expired and nobody reading: the caller must read.
    expect(memory.get("/feed.xml", "b1", 2000)).toBeUndefined();
    expect(memory.claim("/feed.xml", 2000).mine).toBe(true);
    // Meanwhile, the others get the expired copy, and no claim of their own.
    expect(memory.get("/feed.xml", "b1", 2001)?.body.byteLength).toBe(10);
    expect(memory.claim("/feed.xml", 2001).mine).toBe(false);
    expect(memory.get("/feed.xml", "b1", 2000 + CLAIM_MS - 1)).toBeDefined();
    // Never as a current copy (what the scope directory asks for), never for another build.
    expect(memory.current("/feed.xml", "b1", 2001)).toBeUndefined();
    expect(memory.get("/feed.xml", "b2", 2001)).toBeUndefined();
  });

  it("lets a claim lapse after CLAIM_MS (its read failing, or its request cancelled), and the copy after STALE_MS", () => {
    const memory = new DocumentMemory(1000);
    memory.set("/feed.xml", { body: bytes(10), meta: meta() }, 2000);
    const late = 2000 + STALE_MS - 2 * CLAIM_MS;
    expect(memory.claim("/feed.xml", late).mine).toBe(true);
    expect(memory.get("/feed.xml", "b1", late + CLAIM_MS)).toBeUndefined();
    // The next request takes the claim over; the copy, now that old, answers no more.
    expect(memory.claim("/feed.xml", late + CLAIM_MS).mine).toBe(true);
    expect(memory.get("/feed.xml", "b1", late + CLAIM_MS + 1)).toBeDefined();
    expect(memory.get("/feed.xml", "b1", 2000 + STALE_MS)).toBeUndefined();
    expect(memory.size.documents).toBe(0);
  });

  it("ends a claim when its read ends, found or not, and when the successor is stored", () => {
    const memory = new DocumentMemory(1000);
    memory.set("/feed.xml", { body: bytes(10), meta: meta() }, 2000);
    memory.release(memory.claim("/feed.xml", 2000));
    expect(memory.get("/feed.xml", "b1", 2001)).toBeUndefined();
    expect(memory.claim("/feed.xml", 2001).mine).toBe(true);
    memory.set("/feed.xml", { body: bytes(20), meta: meta() }, 5000);
    expect(memory.get("/feed.xml", "b1", 2002)?.body.byteLength).toBe(20);
    expect(memory.claim("/feed.xml", 2002).mine).toBe(true);
    memory.clear();
    expect(memory.claim("/feed.xml", 2003).mine).toBe(true);
  });

  it("does not store what a read begun before clear() found: it may predate a publish", () => {
    const memory = new DocumentMemory(1000);
    const before = memory.claim("/feed.xml", 1000);
    memory.clear();
    memory.set("/feed.xml", { body: bytes(10), meta: meta() }, 5000, before);
    expect(memory.get("/feed.xml", "b1", 2000)).toBeUndefined();
    const after = memory.claim("/feed.xml", 1001);
    memory.set("/feed.xml", { body: bytes(10), meta: meta() }, 5000, after);
    expect(memory.get("/feed.xml", "b1", 2000)).toBeDefined();
  });

  it("is released only by the request that holds the claim", () => {
    const memory = new DocumentMemory(1000);
    expect(memory.claim("/feed.xml", 0).mine).toBe(true);
    memory.release(memory.claim("/feed.xml", 1));
    expect(memory.claim("/feed.xml", 2).mine).toBe(false);
  });

  it("keeps at most a thousand claims, forgetting the oldest (of requests cancelled mid-read)", () => {
    const memory = new DocumentMemory(1000);
    expect(memory.claim("/first", 0).mine).toBe(true);
    expect(memory.claim("/first", 1).mine).toBe(false);
    for (let i = 0; i < 1000; i++) memory.claim(`/p${i}`, 1);
    expect(memory.claim("/first", 2).mine).toBe(true);
    expect(memory.claim("/p999", 2).mine).toBe(false);
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

  it("gives one remembered document each path's own headers: the view at /feed.html and as /feed.xml's view", async () => {
    expect((await put("عرض")).status).toBeLessThan(300);
    const browser = { headers: { Accept: "text/html,application/xhtml+xml,*/*;q=0.8" } };
    const asFeed = async () => {
      const res = await call("/feed.xml", browser);
      expect(res.status).toBe(200);
      expect(res.headers.get("Link")).toContain('/feed.xml>; rel="self"');
      expect(res.headers.get("Vary")).toBe("Accept");
      return res.text();
    };
    const viewBody = await asFeed();
    const page = await call("/feed.html");
    expect(await page.text()).toBe(viewBody); // the same document, from memory
    expect(page.headers.get("Link")).toBeNull();
    expect(page.headers.get("Vary")).toBeNull();
    expect(page.headers.get("Cache-Control")).toBe(PAGE_CACHE_CONTROL);
    expect(await asFeed()).toBe(viewBody);
    // Its 304 keeps the validators and the feed's caching headers, nothing of the body's.
    const etag = page.headers.get("ETag") as string;
    const revalidated = await call("/feed.xml", {
      headers: { ...browser.headers, "If-None-Match": etag },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("ETag")).toBe(etag);
    expect(revalidated.headers.get("Cache-Control")).toBe(FEED_CACHE_CONTROL);
    expect(revalidated.headers.get("Content-Type")).toBeNull();
  });
});

describe("when a remembered document expires under concurrent requests", () => {
  it("one request reads KV; the others are answered with the copy it replaces, none fails", async () => {
    expect((await publish("expiring", sampleArticle({ title: "قبل" }))).status).toBe(201);
    documentMemory.clear();
    const worker = countingWorker(500);
    const first = await worker.fetchText("/feed.json");
    expect(first.text).toContain("قبل");
    // A newer, intact document in KV (written past the API, so no isolate forgets).
    const key = docKey("/feed.json");
    const stored = await env.ARTICLES.getWithMetadata<DocMeta>(key, "arrayBuffer");
    const newer = new TextEncoder().encode(first.text.replace("قبل", "بعد"));
    const metadata = { ...(stored.metadata as DocMeta), length: newer.byteLength };
    await env.ARTICLES.put(key, newer, { metadata });
    await new Promise((resolve) => setTimeout(resolve, 600));
    worker.reads.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => worker.fetchText("/feed.json")),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(worker.reads).toEqual([key]);
    // The one that read has the newer copy; the 19 that came meanwhile, the expired one.
    const texts = answers.map((a) => a.text);
    expect(texts.filter((t) => t.includes("بعد"))).toHaveLength(1);
    expect(texts.filter((t) => t === first.text)).toHaveLength(19);
    // The copy read then is what the next requests get, until it expires in turn.
    expect((await worker.fetchText("/feed.json")).text).toContain("بعد");
    expect(worker.reads).toHaveLength(1);
  });
});
