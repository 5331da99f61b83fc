/**
 * The Publisher: one Durable Object instance ("main"), the only writer.
 *
 * KV has no transactions and is eventually consistent, so two Workers publishing at the
 * same moment could each read the old feed and write it back without the other's
 * article. Every change goes through this object, which
 *   1. orders changes (one at a time) and applies each by the pure rules of
 *      core/publishing/changes.ts, after checking that it can be published at all
 *      (core/publishing/prepare.ts): a change that cannot is refused and queues nothing;
 *   2. group-commits (core/publishing/group-commit.ts): one commit writes every queued
 *      record to KV, then the catalogue to SQLite (store/catalog-sql.ts), then renders
 *      the targets the changes made dirty (core/publishing/kinds.ts) and stores them;
 *   3. answers a change only after its commit, so a feed read that follows in the same
 *      location shows it.
 * A record or document that cannot be read, rendered or stored is logged under its key
 * and left out; it never fails another article's publish.
 */
import { DurableObject } from "cloudflare:workers";
import type { Article, FieldError } from "../core/article.ts";
import type { CatalogEntry } from "../core/catalog.ts";
import { isoFromEpochMs } from "../core/dates.ts";
import { type RenderedDoc, strongEtag } from "../core/documents.ts";
import { applyPublish, applyRemove, type PublishStatus } from "../core/publishing/changes.ts";
import { type DocMeta, docMetaOf } from "../core/publishing/doc-meta.ts";
import { GroupCommit, SerialQueue } from "../core/publishing/group-commit.ts";
import {
  type KindContext,
  type Prepared,
  planTarget,
  targetExists,
  targetOfDoc,
  targetsDirtiedBy,
} from "../core/publishing/kinds.ts";
import { documentLimitProblem } from "../core/publishing/limits.ts";
import { PendingChanges } from "../core/publishing/pending.ts";
import { prepareRecord, publishProblems } from "../core/publishing/prepare.ts";
import { type Target, targetKey } from "../core/publishing/targets.ts";
import { nextValidators, type Validators } from "../core/publishing/validators.ts";
import type { StoredArticle } from "../core/stored-article.ts";
import { absolute, parsePath } from "../core/urls.ts";
import type { Env } from "./env.ts";
import { siteOf } from "./site-config.ts";
import { SqlCatalog } from "./store/catalog-sql.ts";
import { docKey } from "./store/keys.ts";
import { RecordStore } from "./store/records.ts";
import { withRetries } from "./store/retry.ts";
import { DEFAULT_NOTIFY, notifyHubs } from "./websub.ts";

/** How soon documents whose write failed are tried again (by the alarm). */
const RETRY_DOCUMENTS_MS = 5_000;

export type PublishResult =
  | { status: PublishStatus; record: StoredArticle }
  | { status: "refused"; errors: FieldError[] };

/** A document as a rebuild stored it: its metadata, and whether its bytes changed. */
interface StoredDoc {
  doc: RenderedDoc;
  meta: DocMeta;
  changed: boolean;
}

export interface ServedDoc {
  /** Bytes as stored (the read path never decodes them), or text just rendered. */
  body: ArrayBuffer | string;
  meta: DocMeta;
}

const encoder = new TextEncoder();

export class Publisher extends DurableObject<Env> {
  private catalog!: SqlCatalog;
  private readonly records: RecordStore;
  /** Rendered bodies per record version; records leave with the record cache. */
  private readonly prepared = new WeakMap<StoredArticle, Prepared>();
  private readonly changes = new SerialQueue();
  private readonly commits = new GroupCommit(() => this.commit());
  private pending = new PendingChanges();
  /** The changes of the commit under way, until the catalogue holds them. */
  private committing: PendingChanges | undefined;
  private nextSeq: number | undefined;
  /** Rebuilds run since this instance started (see stats()). */
  private rebuilds = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.records = new RecordStore(env.ARTICLES);
    ctx.blockConcurrencyWhile(async () => {
      this.catalog = await SqlCatalog.open(ctx.storage);
    });
  }

  private get site() {
    return siteOf(this.env).site;
  }

  // ---- changes -------------------------------------------------------------

  async publish(slug: string, article: Article): Promise<PublishResult> {
    const result = await this.changes.run(async (): Promise<PublishResult> => {
      const before = this.entryOf(slug);
      const previous = before && !before.deleted ? await this.recordOf(slug) : undefined;
      this.nextSeq ??= this.catalog.maxSeq() + 1;
      const outcome = applyPublish({
        slug,
        article,
        before,
        previous,
        nextSeq: this.nextSeq,
        nowIso: isoFromEpochMs(Date.now()),
      });
      if (outcome.status === "unchanged") return outcome;
      const errors = this.problemsOf(outcome.record);
      if (errors.length > 0) return { status: "refused", errors };
      if (!before) this.nextSeq += 1;
      this.pending.records.set(slug, outcome.record);
      this.pending.entries.set(slug, outcome.entry);
      this.pending.dirty.add(...targetsDirtiedBy(this.site, before, outcome.entry));
      return outcome;
    });
    if (result.status === "created" || result.status === "updated") await this.commits.request();
    return result;
  }

  /** Deletes an article; its page answers 410 and its id stays a tombstone. */
  async remove(slug: string): Promise<boolean> {
    const removed = await this.changes.run(async () => {
      const entry = applyRemove(this.entryOf(slug), isoFromEpochMs(Date.now()));
      if (!entry) return false;
      this.pending.records.set(slug, null);
      this.pending.entries.set(slug, entry);
      this.pending.dirty.add(...targetsDirtiedBy(this.site, entry));
      return true;
    });
    if (removed) await this.commits.request();
    return removed;
  }

  // ---- reads that must be consistent --------------------------------------

  /** Live catalogue entries, newest first, `offset`..`offset+limit`. */
  async list(offset: number, limit: number): Promise<{ entries: CatalogEntry[]; total: number }> {
    return { entries: this.catalog.listLive({ offset, limit }), total: this.catalog.liveCount() };
  }

  async get(slug: string): Promise<StoredArticle | undefined> {
    const entry = this.entryOf(slug);
    return entry && !entry.deleted ? this.recordOf(slug) : undefined;
  }

  /**
   * Renders one public path on demand: readers ask when a stored document is stale or
   * corrupt. Undefined when nothing lives there.
   */
  async render(path: string): Promise<ServedDoc | undefined> {
    const doc = parsePath(path);
    const target = doc && targetOfDoc(doc);
    if (!target || !targetExists(target, this.catalog, this.site)) return undefined;
    this.pending.dirty.add(target);
    const stored = (await this.commits.request()).find((d) => d.doc.path === path);
    return stored ? { body: stored.doc.body, meta: stored.meta } : undefined;
  }

  /** Counters for operators and tests: how much rebuilding the changes cost. */
  async stats(): Promise<{ rebuilds: number; articles: number }> {
    return { rebuilds: this.rebuilds, articles: this.catalog.liveCount() };
  }

  /** Retries documents whose write failed (see store()). */
  override async alarm(): Promise<void> {
    await this.commits.request();
  }

  // ---- helpers of the changes ----------------------------------------------

  /** The entry as the next commit will leave it. */
  private entryOf(slug: string): CatalogEntry | undefined {
    return (
      this.pending.entries.get(slug) ??
      this.committing?.entries.get(slug) ??
      this.catalog.entry(slug)
    );
  }

  private async recordOf(slug: string): Promise<StoredArticle | undefined> {
    const queued = this.pending.records.get(slug) ?? this.committing?.records.get(slug);
    if (queued !== undefined) return queued ?? undefined;
    return (await this.records.read([slug])).get(slug);
  }

  /** Markdown, sanitising and cleaning, once per record version. */
  private prepare(record: StoredArticle): Prepared {
    let prepared = this.prepared.get(record);
    if (!prepared) {
      prepared = prepareRecord(this.site, record);
      this.prepared.set(record, prepared);
    }
    return prepared;
  }

  private problemsOf(record: StoredArticle): FieldError[] {
    try {
      return publishProblems(this.site, this.prepare(record));
    } catch (error) {
      return [{ path: "body", message: `cannot be rendered: ${(error as Error).message}` }];
    }
  }

  private kindContext(): KindContext {
    const { site } = this;
    return { site, feedMaxBytes: site.feedMaxBytes, nowMs: Date.now() };
  }

  // ---- the commit ----------------------------------------------------------

  /**
   * One group commit: the writes of every change since the last one, then one rebuild of
   * everything they touched. Records go to KV before the catalogue names them.
   */
  private async commit(): Promise<StoredDoc[]> {
    const changes = this.pending;
    const { records, entries, dirty } = changes;
    this.pending = new PendingChanges();
    this.committing = changes;
    try {
      await this.records.write(records);
      const retention = Date.now() - this.site.tombstoneDays * 86_400_000;
      this.ctx.storage.transactionSync(() => {
        this.catalog.apply([...entries.values()]);
        this.catalog.compact(retention);
      });
    } catch (error) {
      // Memory may now hold changes that storage does not: start afresh from storage.
      // The changes in this commit answer with an error; none of them is half-published.
      console.error("commit failed; restarting the Publisher", error);
      this.ctx.abort("commit failed");
      throw error;
    } finally {
      this.committing = undefined;
    }
    if (dirty.empty) return [];
    this.rebuilds++;
    return this.rebuild(dirty.list());
  }

  private async rebuild(targets: Target[]): Promise<StoredDoc[]> {
    const ctx = this.kindContext();
    const jobs = targets.flatMap((t) => planTarget(t, this.catalog, ctx) ?? []);
    const records = await this.records.read([...new Set(jobs.flatMap((j) => j.slugs))]);
    const prepared = new Map<string, Prepared>();
    for (const [slug, record] of records) {
      try {
        prepared.set(slug, this.prepare(record));
      } catch (error) {
        console.error(`skipping record that cannot be rendered article:${slug}`, error);
      }
    }
    const rendered = jobs.flatMap((job) => {
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
    const stored = await this.store(rendered);
    const { hubs } = ctx.site;
    const topics = stored
      .filter(({ doc, changed }) => changed && parsePath(doc.path)?.kind === "feed")
      .map(({ doc }) => absolute(ctx.site, doc.path));
    if (hubs.length > 0 && topics.length > 0) {
      // Not awaited by the publish: subscribers hear of it within seconds, the editor
      // does not wait for hubs (and their retries).
      const options = { ...DEFAULT_NOTIFY, baseDelayMs: siteOf(this.env).websubRetryMs };
      this.ctx.waitUntil(notifyHubs(hubs, topics, options));
    }
    return stored;
  }

  /**
   * Writes documents to KV, then their validators to SQLite. A document over a KV limit
   * is not written (logged); one whose write fails is retried by the alarm.
   */
  private async store(rendered: { doc: RenderedDoc; target: Target }[]): Promise<StoredDoc[]> {
    const { build } = siteOf(this.env);
    const previous = this.catalog.validators(rendered.map(({ doc }) => doc.path));
    const nowIso = isoFromEpochMs(Date.now());
    const results = await Promise.all(
      rendered.map(async ({ doc, target }): Promise<StoredDoc | undefined> => {
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
          await withRetries(() => this.env.ARTICLES.put(key, bytes, { metadata: meta }));
        } catch (error) {
          console.error(`could not store ${key}; retrying in ${RETRY_DOCUMENTS_MS} ms`, error);
          this.pending.dirty.add(target);
          await this.ctx.storage.setAlarm(Date.now() + RETRY_DOCUMENTS_MS);
          return undefined;
        }
        return { doc, meta, changed: before?.etag !== validators.etag };
      }),
    );
    const stored = results.filter((r): r is StoredDoc => r !== undefined);
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
