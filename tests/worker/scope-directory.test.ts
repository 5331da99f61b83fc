/**
 * The scope directory lets the read path answer made-up categories, authors and archive
 * pages with a 404 and no KV read, once one 404 has brought it into memory; a document
 * that exists still costs exactly one KV read.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SCOPE_DIRECTORY_PATH, ScopeDirectory } from "../../src/core/scope-directory.ts";
import { docKey } from "../../src/worker/store/keys.ts";
import { countingWorker, publish, request, sampleArticle } from "./helpers.ts";

describe("the scope directory", () => {
  it("is stored with every public change: the categories, authors and last number", async () => {
    await publish(
      "directory-one",
      sampleArticle({
        categories: [{ slug: "desk-a", label: "أ" }],
        authors: [{ name: "كاتب", slug: "writer-a" }],
      }),
    );
    const text = await env.ARTICLES.get(docKey(SCOPE_DIRECTORY_PATH), "text");
    const directory = ScopeDirectory.parse(text as string) as ScopeDirectory;
    expect(directory.has({ kind: "category", slug: "desk-a" })).toBe(true);
    expect(directory.has({ kind: "author", slug: "writer-a" })).toBe(true);
    expect(directory.has({ kind: "category", slug: "writer-a" })).toBe(false);
    expect(directory.maxSeq).toBeGreaterThan(0);
    // Not a public document.
    expect((await request(SCOPE_DIRECTORY_PATH)).status).toBe(404);
  });

  it("after one 404, made-up scopes and archive pages cost no KV read; real documents one", async () => {
    await publish("directory-two", sampleArticle({ categories: [{ slug: "desk-b", label: "ب" }] }));
    const worker = countingWorker();
    expect(await worker.get("/categories/made-up-1/feed.xml")).toBe(404);
    // The document's read, then the directory's (in the background).
    expect(worker.reads).toEqual([
      docKey("/categories/made-up-1/feed.xml"),
      docKey(SCOPE_DIRECTORY_PATH),
    ]);
    worker.reads.length = 0;
    for (const path of [
      "/categories/made-up-2/feed.xml",
      "/categories/made-up-3/feed.html",
      "/authors/nobody-at-all/atom.xml",
      "/archive/99999/feed.json",
      "/archive/99999/feed.html",
    ])
      expect(await worker.get(path), path).toBe(404);
    expect(worker.reads).toEqual([]);
    // What exists is read as always: one KV read each.
    expect(await worker.get("/categories/desk-b/feed.xml")).toBe(200);
    expect(await worker.get("/archive/1/feed.json")).toBe(200);
    expect(worker.reads).toEqual([
      docKey("/categories/desk-b/feed.xml"),
      docKey("/archive/1/feed.json"),
    ]);
    // An unknown article is not in the directory: its 404 is one KV read.
    worker.reads.length = 0;
    expect(await worker.get("/articles/no-such-story")).toBe(404);
    expect(worker.reads).toEqual([docKey("/articles/no-such-story")]);
  });

  it("is not used when isolate memory is off, and a directory that cannot be read is ignored", async () => {
    await publish("directory-three", sampleArticle());
    // Memory off (the tests' default): every request reads its own document.
    expect((await request("/categories/made-up-4/feed.xml")).status).toBe(404);
    await env.ARTICLES.put(docKey(SCOPE_DIRECTORY_PATH), "{not json", {
      metadata: (await env.ARTICLES.getWithMetadata(docKey(SCOPE_DIRECTORY_PATH))).metadata,
    });
    const worker = countingWorker();
    expect(await worker.get("/categories/made-up-5/feed.xml")).toBe(404);
    worker.reads.length = 0;
    expect(await worker.get("/categories/politics/feed.xml")).toBe(200);
    expect(await worker.get("/categories/made-up-6/feed.xml")).toBe(404);
    expect(worker.reads).toEqual([
      docKey("/categories/politics/feed.xml"),
      docKey("/categories/made-up-6/feed.xml"),
    ]);
  });
});
