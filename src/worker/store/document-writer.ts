/**
 * Rendering targets and storing their documents: the KV writes of a rebuild, with their
 * validators in SQLite, in bounded groups (below), so memory holds one group whatever a
 * rebuild covers. A record that cannot be rendered is left
 * out (logged under its key), a document over a KV limit is not written (logged), and
 * a document whose write fails is handed back for a retry; none fails the others.
 */
import { isoFromEpochMs } from "../../core/dates.ts";
import { type RenderedDoc, strongEtag } from "../../core/documents.ts";
import { type DocMeta, docMetaOf } from "../../core/publishing/doc-meta.ts";
import type { Prepared, RenderJob } from "../../core/publishing/kinds.ts";
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
 * A rebuild's memory is bounded by what it holds at once, not by how many documents it
 * covers: the records of at most READ_SLUGS articles (read and prepared together), and
 * rendered bodies up to FLUSH_CHARS UTF-16 code units (or FLUSH_DOCS documents) before
 * they are stored, plus the documents of the one job that crossed the line (a scope's
 * feeds are at most FEED_MAX_BYTES each). Measured by size, not by count: a bulk
 * commit's 200 article pages are two KV round trips, where a count of 12 made 17, each
 * paying a round trip and a SQLite write of validators.
 */
const READ_SLUGS = 250;
const FLUSH_DOCS = 100;
const FLUSH_CHARS = 4 * 1024 * 1024;

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

interface Rendered {
  doc: RenderedDoc;
  target: Target;
}

/** Consecutive jobs, cut where their records would pass `maxSlugs` (at least one job each). */
function* groupsBySlugs(jobs: RenderJob[], maxSlugs: number): Generator<RenderJob[]> {
  let group: RenderJob[] = [];
  const slugs = new Set<string>();
  for (const job of jobs) {
    const adds = job.slugs.filter((slug) => !slugs.has(slug)).length;
    if (group.length > 0 && slugs.size + adds > maxSlugs) {
      yield group;
      group = [];
      slugs.clear();
    }
    group.push(job);
    for (const slug of job.slugs) slugs.add(slug);
  }
  if (group.length > 0) yield group;
}

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
    // Saved once, after every document is stored (or the write stops): a validator
    // names a document KV holds, and each SQLite write outside a transaction is a commit.
    const saved = new Map<string, Validators>();
    let pending: Rendered[] = [];
    let pendingChars = 0;
    const flush = async () => {
      const batch = pending;
      pending = [];
      pendingChars = 0;
      for (const { doc, target, meta, changed } of await this.store(batch, build, outcome)) {
        saved.set(doc.path, { etag: meta.etag, lastModified: meta.lastModified });
        if (wanted.has(doc.path)) outcome.kept.set(doc.path, { body: doc.body, meta });
        // Subscription feeds and partner feeds are WebSub topics (archive pages are fixed).
        if (!changed || (target.kind !== "scope" && target.kind !== "partner")) continue;
        const kind = parsePath(doc.path)?.kind;
        if (kind === "feed" || kind === "partner") outcome.changedFeeds.push(doc.path);
      }
    };
    try {
      for (const group of groupsBySlugs(jobs, READ_SLUGS)) {
        const prepared = await this.prepared(group);
        for (const job of group) {
          for (const rendered of this.render(job, prepared)) {
            pending.push(rendered);
            pendingChars += rendered.doc.body.length;
          }
          if (pending.length >= FLUSH_DOCS || pendingChars >= FLUSH_CHARS) await flush();
        }
      }
      if (pending.length > 0) await flush();
    } finally {
      this.catalog.saveValidators(saved);
    }
    return outcome;
  }

  private async prepared(group: RenderJob[]): Promise<Map<string, Prepared>> {
    const records = await this.records.read([...new Set(group.flatMap((j) => j.slugs))]);
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

  private render(job: RenderJob, prepared: Map<string, Prepared>): Rendered[] {
    try {
      return job.render(prepared).map((doc) => ({ doc, target: job.target }));
    } catch (error) {
      console.error(
        `could not render ${targetKey(job.target)}; keeping its stored documents`,
        error,
      );
      return [];
    }
  }

  /** Writes documents to KV; their validators are the caller's to save. */
  private async store(
    rendered: Rendered[],
    build: string,
    outcome: WriteOutcome,
  ): Promise<(Rendered & { meta: DocMeta; changed: boolean })[]> {
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
        return { doc, target, meta, changed: before?.etag !== validators.etag };
      }),
    );
    return results.filter((r) => r !== undefined);
  }
}
