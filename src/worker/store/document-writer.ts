/**
 * Rendering targets and storing their documents: the KV writes of a rebuild, with their
 * validators in SQLite. Render jobs run CHUNK_DOCS documents at a time, so memory holds
 * one chunk's bodies whatever a rebuild covers. A record that cannot be rendered is left
 * out (logged under its key), a document over a KV limit is not written (logged), and
 * a document whose write fails is handed back for a retry; none fails the others.
 */
import { isoFromEpochMs } from "../../core/dates.ts";
import { type RenderedDoc, strongEtag } from "../../core/documents.ts";
import { type DocMeta, docMetaOf } from "../../core/publishing/doc-meta.ts";
import { documentCount, type Prepared, type RenderJob } from "../../core/publishing/kinds.ts";
import { documentLimitProblem } from "../../core/publishing/limits.ts";
import { type Target, targetKey } from "../../core/publishing/targets.ts";
import { nextValidators, type Validators } from "../../core/publishing/validators.ts";
import type { StoredArticle } from "../../core/stored-article.ts";
import { parsePath } from "../../core/urls.ts";
import type { SqlCatalog } from "./catalog-sql.ts";
import { docKey } from "./keys.ts";
import type { RecordStore } from "./records.ts";
import { withRetries } from "./retry.ts";

/**
 * Documents rendered and stored at a time: a rebuild of hundreds of feeds holds only
 * this many bodies in memory at once (a full feed is up to FEED_MAX_BYTES).
 */
const CHUNK_DOCS = 12;

export interface ServedDoc {
  /** Bytes as stored (the read path never decodes them), or text just rendered. */
  body: ArrayBuffer | string;
  meta: DocMeta;
}

export interface WriteOutcome {
  /** Bodies of the paths asked for (on-demand renders). */
  kept: Map<string, ServedDoc>;
  /** Paths of subscription feeds whose bytes changed (for WebSub). */
  changedFeeds: string[];
  /** Targets with a document whose write failed: to be retried. */
  failed: Target[];
}

const encoder = new TextEncoder();

export class DocumentWriter {
  private readonly kv: KVNamespace;
  private readonly catalog: SqlCatalog;
  private readonly records: RecordStore;
  private readonly prepare: (record: StoredArticle) => Prepared;
  /** Waits until the given KV keys may be written again (see WritePacer). */
  private readonly paced: (keys: string[]) => Promise<void>;

  constructor(
    kv: KVNamespace,
    catalog: SqlCatalog,
    records: RecordStore,
    prepare: (record: StoredArticle) => Prepared,
    paced: (keys: string[]) => Promise<void>,
  ) {
    this.kv = kv;
    this.catalog = catalog;
    this.records = records;
    this.prepare = prepare;
    this.paced = paced;
  }

  async write(jobs: RenderJob[], wanted: Set<string>, build: string): Promise<WriteOutcome> {
    const outcome: WriteOutcome = { kept: new Map(), changedFeeds: [], failed: [] };
    for (let start = 0; start < jobs.length; ) {
      let docs = 0;
      let end = start;
      while (end < jobs.length) {
        const count = documentCount((jobs[end] as RenderJob).target);
        if (end > start && docs + count > CHUNK_DOCS) break;
        docs += count;
        end++;
      }
      const chunk = jobs.slice(start, end);
      start = end;
      for (const stored of await this.store(
        this.render(chunk, await this.prepared(chunk)),
        build,
        outcome,
      )) {
        const { doc, meta, changed } = stored;
        if (wanted.has(doc.path)) outcome.kept.set(doc.path, { body: doc.body, meta });
        // Subscription feeds and partner feeds are WebSub topics (archive pages are fixed).
        const kind = parsePath(doc.path)?.kind;
        if (changed && (kind === "feed" || kind === "partner")) outcome.changedFeeds.push(doc.path);
      }
    }
    return outcome;
  }

  private async prepared(chunk: RenderJob[]): Promise<Map<string, Prepared>> {
    const records = await this.records.read([...new Set(chunk.flatMap((j) => j.slugs))]);
    const prepared = new Map<string, Prepared>();
    for (const [slug, record] of records) {
      try {
        prepared.set(slug, this.prepare(record));
      } catch (error) {
        console.error(`skipping record that cannot be rendered article:${slug}`, error);
      }
    }
    return prepared;
  }

  private render(chunk: RenderJob[], prepared: Map<string, Prepared>) {
    return chunk.flatMap((job) => {
      try {
        return job.render(prepared).map((doc) => ({ doc, target: job.target }));
      } catch (error) {
        console.error(
          `could not render ${targetKey(job.target)}; keeping its stored documents`,
          error,
        );
        return [];
      }
    });
  }

  /** Writes documents to KV, then their validators to SQLite. */
  private async store(
    rendered: { doc: RenderedDoc; target: Target }[],
    build: string,
    outcome: WriteOutcome,
  ): Promise<{ doc: RenderedDoc; meta: DocMeta; changed: boolean }[]> {
    const previous = this.catalog.validators(rendered.map(({ doc }) => doc.path));
    await this.paced(rendered.map(({ doc }) => docKey(doc.path)));
    const nowIso = isoFromEpochMs(Date.now());
    const results = await Promise.all(
      rendered.map(async ({ doc, target }) => {
        const bytes = encoder.encode(doc.body);
        const before = previous.get(doc.path);
        const validators = nextValidators(before, await strongEtag(bytes), doc.updated, nowIso);
        const meta = docMetaOf(doc, validators, bytes.byteLength, build);
        const key = docKey(doc.path);
        const problem = documentLimitProblem(key, meta, bytes.byteLength);
        if (problem) {
          console.error(`not storing ${key}: ${problem}`);
          return undefined;
        }
        try {
          await withRetries(() => this.kv.put(key, bytes, { metadata: meta }));
        } catch (error) {
          console.error(`could not store ${key}; it will be retried`, error);
          outcome.failed.push(target);
          return undefined;
        }
        return { doc, meta, changed: before?.etag !== validators.etag };
      }),
    );
    const stored = results.filter((r) => r !== undefined);
    this.catalog.saveValidators(
      new Map<string, Validators>(
        stored.map(({ doc, meta }) => [
          doc.path,
          { etag: meta.etag, lastModified: meta.lastModified },
        ]),
      ),
    );
    return stored;
  }
}
