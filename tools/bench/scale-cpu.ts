/**
 * The Publisher's work for one bulk request, reproduced in Node with the same pure core
 * modules (src/core), to see the CPU and memory a bulk commit costs without the local
 * KV simulator, the network hops or other requests sharing the isolate (workerd has no
 * --cpu-prof; Node's V8 is the same engine).
 *
 * A store of `stored` articles of which the last BATCH (200) are the bulk request:
 *   - what the Worker does per article before calling the Publisher (routes/api.ts
 *     checkArticle: validateArticle and checkBody, whose HTML it hands over);
 *   - the Publisher's checks per article (publishMany: articleDigest, prepareRecord with
 *     the Worker's HTML, publishProblems);
 *   - the commit's rebuild exactly as publisher.ts plans and renders it (targetsDirtiedBy
 *     → planTarget → job.render, over a MemoryCatalog, every record prepared), then what
 *     store() does with the documents: UTF-8 encode and SHA-256 each;
 *   - memory: the rendered documents and their encoded bytes are all alive at once in
 *     store() (it maps every document to a put under one Promise.all, encoding each
 *     before the first await); measured here as the growth of Node's heap and
 *     ArrayBuffer memory after a full collection while they are held.
 * With 30 categories and 50 authors, every scope feed is full (50 items) from about
 * 2,500 stored articles on; the default store of 3,000 is therefore what a bulk commit
 * costs at 10,000 or 100,000 too (the catalogue queries are SQL indexes in the Publisher,
 * not measured here).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { validateArticle } from "../../src/core/article.ts";
import { type CatalogEntry, catalogEntryOf } from "../../src/core/catalog.ts";
import { strongEtag } from "../../src/core/documents.ts";
import { checkBody } from "../../src/core/html.ts";
import { articleDigest } from "../../src/core/publishing/canonical.ts";
import { MemoryCatalog } from "../../src/core/publishing/catalog-view.ts";
import { type Prepared, planTarget, targetsDirtiedBy } from "../../src/core/publishing/kinds.ts";
import { prepareRecord, publishProblems } from "../../src/core/publishing/prepare.ts";
import { DirtySet } from "../../src/core/publishing/targets.ts";
import type { SiteConfig } from "../../src/core/site.ts";
import { SCHEMA_VERSION, type StoredArticle } from "../../src/core/stored-article.ts";
import { scaleArticle } from "./scale-articles.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

export interface CommitCpu {
  stored: number;
  batch: number;
  /** Per article, ms. */
  workerValidateMs: number;
  publisherChecksMs: number;
  prepareMs: number;
  /** For the whole commit, ms. */
  renderMs: number;
  encodeAndHashMs: number;
  targets: number;
  documents: number;
  documentBytes: number;
  /** Heap and ArrayBuffer growth while store() holds every document, after a collection. */
  heldHeapBytes: number;
  heldArrayBufferBytes: number;
}

export async function bulkCommitInNode(
  site: SiteConfig,
  stored = 3000,
  batch = 200,
): Promise<CommitCpu> {
  const records: StoredArticle[] = [];
  const entries: CatalogEntry[] = [];
  let validateMs = 0;
  let checksMs = 0;
  let prepareMs = 0;
  const prepared = new Map<string, Prepared>();
  for (let i = 0; i < stored; i++) {
    const { slug, article: input } = scaleArticle(i);
    const inBatch = i >= stored - batch;
    let t = performance.now();
    const checked = validateArticle(input, slug);
    if (!checked.ok) throw new Error(`${slug}: ${JSON.stringify(checked.errors)}`);
    const { problems: unsafe, html } = checkBody(
      site,
      checked.article.body,
      checked.article.format,
    );
    if (unsafe.length) throw new Error(`${slug}: ${unsafe.join("; ")}`);
    if (inBatch) validateMs += performance.now() - t;
    const { article } = checked;
    const record: StoredArticle = {
      schemaVersion: SCHEMA_VERSION,
      slug,
      article,
      created: article.published,
      updated: article.published,
      seq: i + 1,
    };
    t = performance.now();
    const digest = await articleDigest(article);
    const p = prepareRecord(site, record, html);
    const problems = publishProblems(site, p);
    if (problems.length) throw new Error(`${slug}: ${JSON.stringify(problems)}`);
    if (inBatch) checksMs += performance.now() - t;
    // The commit prepares again when the record is not in the Publisher's cache (the
    // bulk's own records are; older ones at a cold start or after cache eviction).
    t = performance.now();
    prepared.set(slug, prepareRecord(site, record));
    prepareMs += performance.now() - t;
    records.push(record);
    entries.push(catalogEntryOf(record, digest));
  }
  const catalog = new MemoryCatalog(entries);
  const dirty = new DirtySet();
  for (const entry of entries.slice(stored - batch))
    dirty.add(...targetsDirtiedBy(site, undefined, entry));
  const targets = dirty.list();
  const ctx = { site, feedMaxBytes: site.feedMaxBytes, nowMs: Date.now() };
  const jobs = targets.flatMap((t) => planTarget(t, catalog, ctx) ?? []);

  gc();
  const before = process.memoryUsage();
  let t = performance.now();
  const docs = jobs.flatMap((job) => job.render(prepared));
  const renderMs = performance.now() - t;
  t = performance.now();
  const encoder = new TextEncoder();
  const encoded = docs.map((d) => encoder.encode(d.body));
  await Promise.all(encoded.map((bytes) => strongEtag(bytes)));
  const encodeAndHashMs = performance.now() - t;
  gc();
  const held = process.memoryUsage();
  const documentBytes = encoded.reduce((n, b) => n + b.byteLength, 0);
  // Keep both alive until measured.
  if (docs.length !== encoded.length) throw new Error("unreachable");
  return {
    stored,
    batch,
    workerValidateMs: validateMs / batch,
    publisherChecksMs: checksMs / batch,
    prepareMs: prepareMs / stored,
    renderMs,
    encodeAndHashMs,
    targets: targets.length,
    documents: docs.length,
    documentBytes,
    heldHeapBytes: held.heapUsed - before.heapUsed,
    heldArrayBufferBytes: held.arrayBuffers - before.arrayBuffers,
  };
}
