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
import type { FieldError } from "../core/article.ts";
import { type ArticleStatus, type CatalogEntry, statusOf, wasPublic } from "../core/catalog.ts";
import { isoFromEpochMs } from "../core/dates.ts";
import { renderArticleDoc } from "../core/documents.ts";
import { openPage } from "../core/feeds/archive.ts";
import { type BatchItem, type BatchItemResult, planBatch } from "../core/publishing/batch.ts";
import { applyDue, applyRemove, type PublishStatus } from "../core/publishing/changes.ts";
import { GroupCommit, SerialQueue } from "../core/publishing/group-commit.ts";
import {
  documentCount,
  type KindContext,
  type Prepared,
  planTarget,
  targetExists,
  targetOfDoc,
  targetsDirtiedBy,
} from "../core/publishing/kinds.ts";
import { BULK_MAX_ARTICLES, COMMIT_KV_WRITES } from "../core/publishing/limits.ts";
import { type Batch, type Change, ChangeQueue, newChange } from "../core/publishing/pending.ts";
import { prepareRecord, publishProblems } from "../core/publishing/prepare.ts";
import {
  nextRerenderBatch,
  RERENDER_START,
  type RerenderCursor,
} from "../core/publishing/rerender.ts";
import type { Target } from "../core/publishing/targets.ts";
import { WritePacer } from "../core/publishing/write-pacer.ts";
import { sitemapPageOf } from "../core/sitemaps.ts";
import type { StoredArticle } from "../core/stored-article.ts";
import { absolute, parsePath } from "../core/urls.ts";
import type { Env } from "./env.ts";
import { siteOf } from "./site-config.ts";
import { SqlCatalog } from "./store/catalog-sql.ts";
import { deferredDueMs, deferTargets, takeDueTargets } from "./store/deferred-targets.ts";
import { DocumentWriter, type ServedDoc } from "./store/document-writer.ts";
import { RecordStore } from "./store/records.ts";
import { DEFAULT_NOTIFY, notifyHubs } from "./websub.ts";

/** How soon documents whose write failed are tried again (by the alarm). */
const RETRY_DOCUMENTS_MS = 5_000;

export type PublishResult =
  | { status: PublishStatus; record: StoredArticle; articleStatus: ArticleStatus }
  | { status: "refused"; errors: FieldError[] };

export type BulkItem = BatchItem;

/** A body's HTML as the Worker's check rendered it, beside the body it was rendered from. */
interface WorkerHtml {
  body: string;
  html: string;
}

export type BulkResult =
  | { ok: true; results: BatchItemResult[] }
  | { ok: false; errors: (FieldError & { index: number })[] };

/** What a commit hands back to its callers: the bodies of the paths they asked for. */
interface CommitOutcome {
  kept: Map<string, ServedDoc>;
}

const NOTHING: CommitOutcome = { kept: new Map() };

export type { ServedDoc };

export class Publisher extends DurableObject<Env> {
  private catalog!: SqlCatalog;
  private documents!: DocumentWriter;
  private readonly records: RecordStore;
  /** Rendered bodies per record version; records leave with the record cache. */
  private readonly prepared = new WeakMap<StoredArticle, Prepared>();
  /** Entries rendered here since the last rebuild, for the record store to keep (saveEntries). */
  private freshEntries: Prepared[] = [];
  private readonly changes = new SerialQueue();
  private readonly commits = new GroupCommit(() => this.commit());
  private readonly queue = new ChangeQueue();
  private readonly pacer: WritePacer;
  private nextSeq: number | undefined;
  /** Rebuilds run since this instance started (see stats()). */
  private rebuilds = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.records = new RecordStore(ctx.storage.sql, env.ARTICLES, siteOf(env).build);
    this.pacer = new WritePacer(siteOf(env).kvWriteIntervalMs);
    ctx.blockConcurrencyWhile(async () => {
      this.catalog = await SqlCatalog.open(ctx.storage);
      this.documents = new DocumentWriter(
        env.ARTICLES,
        this.catalog,
        this.records,
        (record) => this.prepare(record),
        (keys) => this.pacer.ready(keys),
      );
      await this.startRerenderIfStale();
    });
  }

  /**
   * After a configuration or renderer change (a new build fingerprint), re-render every
   * document, one bounded batch per alarm (core/publishing/rerender.ts). A catalogue
   * that never rendered anything has nothing stale.
   */
  private async startRerenderIfStale(): Promise<void> {
    const { build } = siteOf(this.env);
    const rendered = this.catalog.state("build");
    if (rendered === build) return;
    if (rendered === undefined && this.catalog.maxSeq() === 0) {
      this.catalog.setState("build", build);
      return;
    }
    if (this.catalog.state("rerender_build") !== build) {
      this.catalog.setState("rerender_build", build);
      this.catalog.setState("rerender_cursor", JSON.stringify(RERENDER_START));
    }
    await this.ctx.storage.setAlarm(Date.now());
  }

  private get site() {
    return siteOf(this.env).site;
  }

  // ---- changes -------------------------------------------------------------

  async publish(item: BulkItem): Promise<PublishResult> {
    const result = await this.publishMany([item]);
    if (!result.ok)
      return { status: "refused", errors: result.errors.map(({ index: _, ...e }) => e) };
    return result.results[0] as PublishResult;
  }

  /**
   * Publishes many articles as one change: every article is checked first, and one that
   * cannot be published refuses the whole batch (with its index) before anything is
   * queued. The batch then costs one commit and one render of the shared documents.
   */
  async publishMany(
    items: BulkItem[],
    options: { deferShared?: boolean } = {},
  ): Promise<BulkResult> {
    // Bodies the Worker rendered while checking them, if its build is this one's.
    const { build } = siteOf(this.env);
    const rendered = new Map<string, WorkerHtml>(
      items.flatMap(({ slug, article, rendered }): [string, WorkerHtml][] =>
        rendered?.build === build ? [[slug, { body: article.body, html: rendered.html }]] : [],
      ),
    );
    const result = await this.changes.run(async (): Promise<BulkResult & { change?: Change }> => {
      // Records of the articles already stored, in one read (bulk gets of 100).
      await this.records.read(items.map(({ slug }) => slug).filter((slug) => this.entryOf(slug)));
      const plan = await planBatch(
        items,
        {
          entry: (slug) => this.entryOf(slug),
          record: (slug) => this.recordOf(slug),
          problems: (record) => this.problemsOf(record, rendered.get(record.slug)),
        },
        {
          site: this.site,
          nextSeq: this.nextSeq ?? this.catalog.maxSeq() + 1,
          nowIso: isoFromEpochMs(Date.now()),
        },
      );
      if (!plan.ok) return plan;
      this.nextSeq = plan.nextSeq;
      if (plan.records.size === 0) return { ok: true, results: plan.results };
      const change = newChange(plan.targets);
      change.deferShared = options.deferShared === true;
      for (const [slug, record] of plan.records) change.records.set(slug, record);
      for (const [slug, entry] of plan.entries) change.entries.set(slug, entry);
      this.queue.push(change);
      return { ok: true, results: plan.results, change };
    });
    if (result.ok && result.change && result.change.records.size > 0)
      await this.settled(result.change);
    const { change: _, ...answer } = result;
    return answer;
  }

  /** Deletes an article; its page answers 410 and its id stays a tombstone. */
  async remove(slug: string): Promise<boolean> {
    const change = await this.changes.run(async () => {
      const entry = applyRemove(this.entryOf(slug), isoFromEpochMs(Date.now()));
      if (!entry) return undefined;
      const removal = newChange(targetsDirtiedBy(this.site, entry));
      removal.records.set(slug, null);
      removal.entries.set(slug, entry);
      this.queue.push(removal);
      return removal;
    });
    if (change) await this.settled(change);
    return change !== undefined;
  }

  /** Waits for the commit that takes `change`; the documents that commit stored. */
  private async settled(change: Change): Promise<CommitOutcome> {
    for (;;) {
      const stored = await this.commits.request();
      if (change.outcome?.ok === false) throw change.outcome.error;
      if (change.outcome) return stored;
    }
  }

  // ---- reads that must be consistent --------------------------------------

  /** Live catalogue entries, newest first, `offset`..`offset+limit`. */
  /** Entries of one status, newest first, `offset`..`offset+limit`, and how many there are. */
  async list(
    status: ArticleStatus,
    offset: number,
    limit: number,
  ): Promise<{ entries: CatalogEntry[]; total: number }> {
    return {
      entries: this.catalog.list({ status, offset, limit }),
      total: this.catalog.count(status),
    };
  }

  /** Digests of live articles after `after` in slug order (see articleDigest). */
  async digests(after: string, limit: number): Promise<{ slug: string; digest: string | null }[]> {
    return this.catalog.digests(after, limit);
  }

  /** An article in any status but deleted (drafts and scheduled stories included). */
  async get(slug: string): Promise<{ record: StoredArticle; status: ArticleStatus } | undefined> {
    const entry = this.entryOf(slug);
    if (!entry || statusOf(entry) === "deleted") return undefined;
    const record = await this.recordOf(slug);
    return record ? { record, status: statusOf(entry) } : undefined;
  }

  /** The article's page as it will look once public: for editors, never stored. */
  async preview(slug: string): Promise<string | undefined> {
    const found = await this.get(slug);
    if (!found) return undefined;
    return renderArticleDoc(this.site, found.record, this.prepare(found.record).entry).body;
  }

  /**
   * Renders one public path on demand: readers ask when a stored document is stale or
   * corrupt. Undefined when nothing lives there.
   */
  async render(path: string): Promise<ServedDoc | undefined> {
    const doc = parsePath(path);
    const target = doc && targetOfDoc(doc);
    if (!target || !targetExists(target, this.catalog, this.site)) return undefined;
    const change = newChange([target]);
    change.wanted = [path];
    this.queue.push(change);
    return (await this.settled(change)).kept.get(path);
  }

  /**
   * Counters for operators and tests: how much rebuilding the changes cost, and whether
   * anything is still to do (a commit, queued changes, an import's deferred rebuild).
   */
  async stats(): Promise<{ rebuilds: number; articles: number; idle: boolean }> {
    const idle =
      !this.commits.busy && this.queue.size === 0 && deferredDueMs(this.catalog) === undefined;
    return { rebuilds: this.rebuilds, articles: this.catalog.liveCount(), idle };
  }

  /** Retries documents whose write failed (see store()), then continues a re-render. */
  override async alarm(): Promise<void> {
    while (this.queue.size > 0) await this.commits.request();
    await this.applyDueChanges();
    await this.renderDeferred();
    await this.continueRerender();
    await this.scheduleAlarm();
  }

  /**
   * Scheduled stories whose time has come go live, and live ones whose `expires` has
   * passed are retracted, as one change (and so one commit, one WebSub ping).
   */
  private async applyDueChanges(): Promise<void> {
    const change = await this.changes.run(async () => {
      const nowMs = Date.now();
      const due = this.catalog.due(nowMs, BULK_MAX_ARTICLES);
      if (due.length === 0) return undefined;
      const records = await this.records.read(due.map((e) => e.slug));
      const change = newChange();
      let nextSeq = this.nextSeq ?? this.catalog.maxSeq() + 1;
      for (const before of due) {
        const record = records.get(before.slug);
        if (!record) continue; // unreadable: logged by the record store
        const next = applyDue(record, before, isoFromEpochMs(nowMs), nextSeq);
        if (!next) continue;
        if (!wasPublic(before) && wasPublic(next.entry)) nextSeq += 1;
        change.records.set(before.slug, next.record);
        change.entries.set(before.slug, next.entry);
        change.targets.push(...targetsDirtiedBy(this.site, before, next.entry));
      }
      this.nextSeq = nextSeq;
      if (change.entries.size === 0) return undefined;
      this.queue.push(change);
      return change;
    });
    if (change) await this.settled(change);
  }

  /**
   * One alarm serves everything time-driven: the next scheduled story or expiry (to the
   * millisecond it is due), a running re-render (at once), a retry of documents.
   */
  private async scheduleAlarm(also = Number.POSITIVE_INFINITY): Promise<void> {
    const rerendering = this.catalog.state("rerender_cursor") !== undefined;
    const wake = Math.min(
      also,
      this.catalog.nextDueMs() ?? Number.POSITIVE_INFINITY,
      deferredDueMs(this.catalog) ?? Number.POSITIVE_INFINITY,
      rerendering || this.queue.size > 0 ? Date.now() : Number.POSITIVE_INFINITY,
    );
    if (!Number.isFinite(wake)) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || wake < current) await this.ctx.storage.setAlarm(wake);
  }

  private async continueRerender(): Promise<void> {
    const cursor = this.catalog.state("rerender_cursor");
    if (!cursor) return;
    const { pageSize, maxSeq } = {
      pageSize: this.site.archivePageSize,
      maxSeq: this.catalog.maxSeq(),
    };
    const batch = nextRerenderBatch(
      JSON.parse(cursor) as RerenderCursor,
      {
        scopesAfter: (after, limit) => this.catalog.scopesAfter(after, limit),
        slugsAfter: (after, limit) => this.catalog.slugsAfter(after, limit),
        openPage: () => openPage({ pageSize, maxSeq }),
        sitemapPages: () => sitemapPageOf(maxSeq),
        partners: () => this.site.partners.profiles.map((p) => p.id),
      },
      COMMIT_KV_WRITES,
    );
    if (batch.targets.length > 0) await this.settled(this.enqueue(newChange(batch.targets)));
    if (batch.next) {
      this.catalog.setState("rerender_cursor", JSON.stringify(batch.next));
    } else {
      this.catalog.setState("build", this.catalog.state("rerender_build"));
      this.catalog.setState("rerender_cursor", undefined);
    }
  }

  /** Progress of a re-render after a configuration change (for operators and tests). */
  async rerenderStatus(): Promise<{ running: boolean; cursor?: RerenderCursor }> {
    const cursor = this.catalog.state("rerender_cursor");
    return cursor ? { running: true, cursor: JSON.parse(cursor) } : { running: false };
  }

  private enqueue(change: Change): Change {
    this.queue.push(change);
    return change;
  }

  // ---- helpers of the changes ----------------------------------------------

  /** The entry as the next commit will leave it. */
  private entryOf(slug: string): CatalogEntry | undefined {
    return this.queue.entry(slug) ?? this.catalog.entry(slug);
  }

  private async recordOf(slug: string): Promise<StoredArticle | undefined> {
    const queued = this.queue.record(slug);
    if (queued !== undefined) return queued ?? undefined;
    return (await this.records.read([slug])).get(slug);
  }

  /**
   * Markdown, sanitising and cleaning, once per record version; `rendered` is the body's
   * HTML from the Worker's check, used if it is of this very body.
   */
  private prepare(record: StoredArticle, rendered?: WorkerHtml): Prepared {
    let prepared = this.prepared.get(record);
    if (!prepared) {
      const stored = this.records.takeStoredEntry(record);
      const html = rendered?.body === record.article.body ? rendered.html : undefined;
      prepared = stored ? { record, entry: stored } : prepareRecord(this.site, record, html);
      if (!stored) this.freshEntries.push(prepared);
      this.prepared.set(record, prepared);
    }
    return prepared;
  }

  private problemsOf(record: StoredArticle, rendered?: WorkerHtml): FieldError[] {
    try {
      return publishProblems(this.site, this.prepare(record, rendered));
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
   * One group commit: the changes queued since the last one (as many as one invocation's
   * KV budget allows), then one rebuild of everything they touched. Records and their
   * catalogue entries are written in one transaction.
   */
  private async commit(): Promise<CommitOutcome> {
    // KV writes: the documents, and a delete of any copy of a deleted record that an
    // earlier version kept in KV (records themselves are in SQLite).
    const kvWrites = (b: Batch) =>
      [...b.records.values()].filter((r) => r === null).length +
      b.dirty.list().reduce((n, t) => n + documentCount(t), 0);
    const batch = this.queue.take(kvWrites, COMMIT_KV_WRITES);
    if (batch.changes.length === 0) return NOTHING;
    try {
      const retention = Date.now() - this.site.tombstoneDays * 86_400_000;
      this.ctx.storage.transactionSync(() => {
        this.records.write(batch.records, (record) => this.prepared.get(record)?.entry);
        this.catalog.apply([...batch.entries.values()]);
        this.catalog.compact(retention);
      });
      this.records.remember(batch.records);
      const deleted = [...batch.records].filter(([, r]) => r === null).map(([slug]) => slug);
      if (deleted.length > 0) await this.records.forgetLegacy(deleted);
    } catch (error) {
      // Memory may now hold changes that storage does not: start afresh from storage.
      // The changes in this commit answer with an error; none of them is half-published.
      for (const change of batch.changes) change.outcome = { ok: false, error };
      console.error("commit failed; restarting the Publisher", error);
      this.ctx.abort("commit failed");
      throw error;
    } finally {
      this.queue.settle();
    }
    for (const change of batch.changes) change.outcome = { ok: true };
    if (!batch.deferred.empty) deferTargets(this.catalog, batch.deferred.list(), Date.now());
    // A scheduled story, an expiry or deferred documents may have been added: wake for them.
    await this.scheduleAlarm();
    if (batch.dirty.empty) return NOTHING;
    this.rebuilds++;
    return this.rebuild(batch.dirty.list(), batch.wanted);
  }

  /** Renders deferred shared documents that are due, one commit budget per alarm. */
  private async renderDeferred(): Promise<void> {
    const due = takeDueTargets(this.catalog, Date.now(), COMMIT_KV_WRITES);
    if (due.length > 0) await this.settled(this.enqueue(newChange(due)));
  }

  /** Renders the targets and stores their documents; pings the hubs of changed feeds. */
  private async rebuild(targets: Target[], wanted: Set<string>): Promise<CommitOutcome> {
    const ctx = this.kindContext();
    const jobs = targets.flatMap((t) => planTarget(t, this.catalog, ctx) ?? []);
    const { kept, changedFeeds, failed } = await this.documents.write(
      jobs,
      wanted,
      siteOf(this.env).build,
    );
    // Entries rendered from stored records (after a configuration change, or stored by an
    // earlier version) are kept for the next cold start.
    const fresh = this.freshEntries;
    this.freshEntries = [];
    this.ctx.storage.transactionSync(() => this.records.saveEntries(fresh));
    if (failed.length > 0) {
      this.queue.push(newChange(failed));
      await this.scheduleAlarm(Date.now() + RETRY_DOCUMENTS_MS);
    }
    const { hubs } = ctx.site;
    if (hubs.length > 0 && changedFeeds.length > 0) {
      // Not awaited by the publish: subscribers hear of it within seconds, the editor
      // does not wait for hubs (and their retries).
      const options = { ...DEFAULT_NOTIFY, baseDelayMs: siteOf(this.env).websubRetryMs };
      const topics = changedFeeds.map((path) => absolute(ctx.site, path));
      this.ctx.waitUntil(notifyHubs(hubs, topics, options));
    }
    return { kept };
  }
}
