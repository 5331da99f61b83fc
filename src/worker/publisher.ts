/**
 * The Publisher: one Durable Object instance ("main") that is the only writer.
 *
 * KV has no transactions and is eventually consistent, so two Workers publishing at the
 * same moment could each read the old feed and write it back without the other's
 * article. Every change therefore goes through this object, which
 *   1. orders changes (one at a time, in arrival order) and applies each to memory only,
 *      queueing its writes, so a change takes microseconds once the catalogue is loaded;
 *   2. keeps the catalogue (order, sequence numbers, tombstones) in its own strongly
 *      consistent storage;
 *   3. group-commits: one commit writes every queued article record to KV, then the
 *      catalogue, then re-renders only the documents the changes touched. Changes that
 *      arrive during a commit share the next one, so 50 simultaneous publishes cost a
 *      few rebuilds, not 50 (KV allows one write per second per key);
 *   4. answers a change only after its commit, so a feed read that follows in the same
 *      location shows it.
 */
import { DurableObject } from "cloudflare:workers";
import type { Article } from "../core/article.ts";
import {
  byNewest,
  type CatalogEntry,
  catalogEntryOf,
  scopeLabel,
  selectLive,
  selectTombstones,
} from "../core/catalog.ts";
import { isoFromEpochMs } from "../core/dates.ts";
import {
  buildFingerprint,
  type RenderedDoc,
  renderArchivePage,
  renderArticleDoc,
  renderGoneDoc,
  renderHomeDoc,
  renderScopeFeeds,
  strongEtag,
} from "../core/documents.ts";
import { type ArchiveLayout, openPage, pageOfSeq, seqInPage } from "../core/feeds/archive.ts";
import { type FeedEntry, toFeedEntry } from "../core/feeds/feed-document.ts";
import { renderBodyHtml } from "../core/html.ts";
import { parseSiteConfig, type SiteConfig } from "../core/site.ts";
import { decodeStoredArticle, SCHEMA_VERSION, type StoredArticle } from "../core/stored-article.ts";
import { absolute, articlePath, type FeedScope } from "../core/urls.ts";
import type { Env } from "./env.ts";
import { articleKey, type DocMeta, docKey } from "./store/keys.ts";
import { DEFAULT_NOTIFY, type NotifyOptions, notifyHubs } from "./websub.ts";

const CATALOG_PREFIX = "catalog:";
const DOC_STATE_PREFIX = "docstate:";
const SEQ_KEY = "seq";

/**
 * Changes are ordered by this object's own queue (serially), not by the runtime's input
 * gate, so storage calls let other requests in while they run: that is what lets
 * publishes arriving during a rebuild join the next one.
 */
const CONCURRENT = { allowConcurrency: true } as const;

export type PublishStatus = "created" | "updated" | "unchanged";

export interface PublishResult {
  status: PublishStatus;
  record: StoredArticle;
}

/** A document as written by a rebuild: its bytes' metadata, and whether they changed. */
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

/** What a change touches, accumulated until the next rebuild. */
class DirtySet {
  slugs = new Set<string>();
  categories = new Set<string>();
  authors = new Set<string>();
  archivePages = new Set<number>();
  site = false;

  add(entry: CatalogEntry | undefined, pageSize: number): void {
    if (!entry) return;
    this.site = true;
    this.slugs.add(entry.slug);
    this.archivePages.add(pageOfSeq(entry.seq, pageSize));
    for (const c of entry.categories) this.categories.add(c.slug);
    for (const a of entry.authors) this.authors.add(a.slug);
  }

  merge(other: DirtySet): void {
    this.site ||= other.site;
    for (const slug of other.slugs) this.slugs.add(slug);
    for (const slug of other.categories) this.categories.add(slug);
    for (const slug of other.authors) this.authors.add(slug);
    for (const page of other.archivePages) this.archivePages.add(page);
  }

  get empty(): boolean {
    return (
      !this.site &&
      this.slugs.size === 0 &&
      this.categories.size === 0 &&
      this.authors.size === 0 &&
      this.archivePages.size === 0
    );
  }
}

/**
 * KV refuses more than one write per second to the same key (and can fail transiently);
 * group commit makes that rare, and a short backoff covers the rest.
 */
async function withRetries<T>(write: () => Promise<T>, attempts = 3, delayMs = 1100): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
    }
  }
}

/** Writes that changes queue for the next commit. */
class PendingWrites {
  /** Article records to put (or, null, to delete). */
  records = new Map<string, StoredArticle | null>();
  catalog = new Map<string, CatalogEntry>();
  seq: number | undefined;
}

/** Stable JSON for comparing articles (key order of the input does not matter). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export class Publisher extends DurableObject<Env> {
  private catalogLoad?: Promise<Map<string, CatalogEntry>>;
  /** Rebuilds run since this instance started (see stats()). */
  private rebuilds = 0;
  /** Records this instance wrote or read: KV reads elsewhere may lag, memory does not. */
  private records = new Map<string, StoredArticle>();
  private entries = new WeakMap<StoredArticle, FeedEntry>();
  private docState = new Map<string, { etag: string; lastModified: string }>();
  private mutations: Promise<unknown> = Promise.resolve();
  private dirty = new DirtySet();
  private pendingWrites = new PendingWrites();
  private running: Promise<StoredDoc[]> | undefined;
  private queued: Promise<StoredDoc[]> | undefined;
  private siteConfig?: SiteConfig;
  private buildId?: string;
  private maxSeq?: number;

  private get site(): SiteConfig {
    this.siteConfig ??= parseSiteConfig(this.env as unknown as Record<string, unknown>);
    return this.siteConfig;
  }

  /** The fingerprint stored with every document (see buildFingerprint). */
  private get build(): string {
    this.buildId ??= buildFingerprint(this.site);
    return this.buildId;
  }

  private async layout(): Promise<ArchiveLayout> {
    this.maxSeq ??= (await this.ctx.storage.get<number>(SEQ_KEY, CONCURRENT)) ?? 0;
    return { pageSize: this.site.archivePageSize, maxSeq: this.maxSeq };
  }

  /** Runs `change` after every earlier change has finished. */
  private serially<T>(change: () => Promise<T>): Promise<T> {
    const result = this.mutations.then(change);
    this.mutations = result.catch(() => undefined);
    return result;
  }

  /** The catalogue, loaded once: concurrent first callers share one load. */
  private loadCatalog(): Promise<Map<string, CatalogEntry>> {
    this.catalogLoad ??= (async () => {
      const [stored, states] = await Promise.all([
        this.ctx.storage.list<CatalogEntry>({ prefix: CATALOG_PREFIX, ...CONCURRENT }),
        this.ctx.storage.list<{ etag: string; lastModified: string }>({
          prefix: DOC_STATE_PREFIX,
          ...CONCURRENT,
        }),
      ]);
      for (const [key, state] of states)
        this.docState.set(key.slice(DOC_STATE_PREFIX.length), state);
      return new Map([...stored.values()].map((e) => [e.slug, e]));
    })();
    return this.catalogLoad;
  }

  /** Reads records, from memory first; unreadable ones are logged with their key and left out. */
  private async readRecords(slugs: string[]): Promise<Map<string, StoredArticle>> {
    const found = new Map<string, StoredArticle>();
    const missing = slugs.filter((slug) => {
      const cached = this.records.get(slug);
      if (cached) found.set(slug, cached);
      return !cached;
    });
    for (let i = 0; i < missing.length; i += 100) {
      const batch = missing.slice(i, i + 100);
      const values = await this.env.ARTICLES.get(batch.map(articleKey), "text");
      for (const slug of batch) {
        const decoded = decodeStoredArticle(values.get(articleKey(slug)) ?? null, slug);
        if (decoded.ok) {
          this.records.set(slug, decoded.record);
          found.set(slug, decoded.record);
          if (decoded.migrated)
            console.warn(
              `migrated ${articleKey(slug)} to schema version ${SCHEMA_VERSION} in memory`,
            );
        } else {
          console.error(`skipping unreadable record ${articleKey(slug)}: ${decoded.reason}`);
        }
      }
    }
    return found;
  }

  /** One entry per record version: Markdown, sanitising and cleaning run once, not per feed. */
  private entryOf(record: StoredArticle): FeedEntry {
    let entry = this.entries.get(record);
    if (!entry) {
      const html = renderBodyHtml(this.site, record.article.body, record.article.format);
      entry = toFeedEntry(this.site, record, html);
      this.entries.set(record, entry);
    }
    return entry;
  }

  // ---- changes -------------------------------------------------------------

  async publish(slug: string, article: Article): Promise<PublishResult> {
    const result = await this.serially(async () => {
      const catalog = await this.loadCatalog();
      const before = catalog.get(slug);
      const previous =
        before && !before.deleted ? (await this.readRecords([slug])).get(slug) : undefined;
      if (previous && canonical(previous.article) === canonical(article)) {
        return { status: "unchanged" as const, record: previous };
      }
      const nowIso = isoFromEpochMs(Date.now());
      let seq = before?.seq;
      if (seq === undefined) {
        seq = (await this.layout()).maxSeq + 1;
        this.maxSeq = seq;
        this.pendingWrites.seq = seq;
      }
      const record: StoredArticle = {
        schemaVersion: SCHEMA_VERSION,
        slug,
        article,
        // A new article's first version is dated by the article itself, so that loading
        // the same content/ on any day gives the same feed bytes; edits are dated now.
        created: previous?.created ?? nowIso,
        updated: before ? nowIso : article.published,
        seq,
      };
      this.pendingWrites.records.set(slug, record);
      const entry = catalogEntryOf(record);
      this.pendingWrites.catalog.set(slug, entry);
      catalog.set(slug, entry);
      this.records.set(slug, record);
      this.dirty.add(before, this.site.archivePageSize);
      this.dirty.add(entry, this.site.archivePageSize);
      // The article that completes a page opens the next one: render it so links resolve.
      if (seq % this.site.archivePageSize === 0)
        this.dirty.archivePages.add(pageOfSeq(seq, this.site.archivePageSize) + 1);
      return {
        status: before && !before.deleted ? ("updated" as const) : ("created" as const),
        record,
      };
    });
    if (result.status !== "unchanged") await this.flush();
    return result;
  }

  /** Deletes an article; its page answers 410 and its id stays a tombstone. */
  async remove(slug: string): Promise<boolean> {
    const removed = await this.serially(async () => {
      const catalog = await this.loadCatalog();
      const before = catalog.get(slug);
      if (!before || before.deleted) return false;
      const entry: CatalogEntry = { ...before, deleted: isoFromEpochMs(Date.now()) };
      this.pendingWrites.catalog.set(slug, entry);
      this.pendingWrites.records.set(slug, null);
      catalog.set(slug, entry);
      this.records.delete(slug);
      this.dirty.add(entry, this.site.archivePageSize);
      return true;
    });
    if (removed) await this.flush();
    return removed;
  }

  // ---- reads that must be consistent --------------------------------------

  /** Live catalogue entries, newest first, `offset`..`offset+limit`. */
  async list(offset: number, limit: number): Promise<{ entries: CatalogEntry[]; total: number }> {
    const catalog = await this.loadCatalog();
    const live = selectLive(catalog.values(), { kind: "site" }, Number.MAX_SAFE_INTEGER);
    return { entries: live.slice(offset, offset + limit), total: live.length };
  }

  async get(slug: string): Promise<StoredArticle | undefined> {
    const catalog = await this.loadCatalog();
    const entry = catalog.get(slug);
    if (!entry || entry.deleted) return undefined;
    return (await this.readRecords([slug])).get(slug);
  }

  /**
   * Renders one path on demand: used by readers when a stored document is missing,
   * corrupt or built under another configuration. Undefined when nothing lives there.
   */
  async render(path: string): Promise<ServedDoc | undefined> {
    const catalog = await this.loadCatalog();
    const scope = scopeOfFeedPath(path);
    const article = /^\/articles\/([a-z0-9-]+)$/.exec(path)?.[1];
    const archivePage = Number(
      /^\/archive\/([1-9][0-9]*)\/(?:feed\.xml|atom\.xml|feed\.json)$/.exec(path)?.[1] ?? 0,
    );
    if (archivePage > 0) {
      if (archivePage > openPage(await this.layout())) return undefined;
      this.dirty.archivePages.add(archivePage);
    } else if (scope) {
      if (scope.kind === "site") this.dirty.site = true;
      else if (scopeLabel(catalog.values(), scope) === undefined) return undefined;
      else (scope.kind === "category" ? this.dirty.categories : this.dirty.authors).add(scope.slug);
    } else if (path === "/") {
      this.dirty.site = true;
    } else if (article && catalog.has(article)) {
      this.dirty.slugs.add(article);
    } else {
      return undefined;
    }
    const stored = (await this.flush()).find((d) => d.doc.path === path);
    return stored ? { body: stored.doc.body, meta: stored.meta } : undefined;
  }

  /** Counters for operators and tests: how much rebuilding the changes cost. */
  async stats(): Promise<{ rebuilds: number; articles: number }> {
    const catalog = await this.loadCatalog();
    return {
      rebuilds: this.rebuilds,
      articles: [...catalog.values()].filter((e) => !e.deleted).length,
    };
  }

  /** Re-renders everything (after a configuration change or a renderer upgrade). */
  async rebuildAll(): Promise<number> {
    const catalog = await this.loadCatalog();
    for (const entry of catalog.values()) this.dirty.add(entry, this.site.archivePageSize);
    this.dirty.site = true;
    this.dirty.archivePages.add(openPage(await this.layout()));
    return (await this.flush()).length;
  }

  // ---- rebuilding ----------------------------------------------------------

  /** Group commit: joins the queued rebuild if there is one, else queues one. */
  private flush(): Promise<StoredDoc[]> {
    if (this.queued) return this.queued;
    const after = this.running ?? Promise.resolve([]);
    const next: Promise<StoredDoc[]> = after
      .catch(() => [])
      .then(() => {
        this.queued = undefined;
        this.running = next;
        return this.commitAndRebuild();
      })
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    this.queued = next;
    return next;
  }

  /**
   * One group commit: the writes of every change since the last one, then one rebuild of
   * everything they touched. Changes only update memory and queue their writes, so they
   * are quick, and all that arrive during a commit join the next.
   */
  private async commitAndRebuild(): Promise<StoredDoc[]> {
    const writes = this.pendingWrites;
    const dirty = this.dirty;
    this.pendingWrites = new PendingWrites();
    this.dirty = new DirtySet();
    try {
      await this.commit(writes);
    } catch (error) {
      // Memory now holds changes that storage does not: start afresh from storage. The
      // changes in this commit answer with an error; none of them is half-published.
      console.error("commit failed; restarting the Publisher", error);
      this.ctx.abort("commit failed");
      throw error;
    }
    if (dirty.empty) return [];
    this.rebuilds++;
    try {
      return await this.rebuildDocuments(dirty);
    } catch (error) {
      // Nothing is forgotten: the next change or on-demand render retries these.
      this.dirty.merge(dirty);
      throw error;
    }
  }

  /** Article records to KV first, then the catalogue (so it never lists an unwritten record). */
  private async commit(writes: PendingWrites): Promise<void> {
    await Promise.all(
      [...writes.records].map(([slug, record]) =>
        withRetries(() =>
          record
            ? this.env.ARTICLES.put(articleKey(slug), JSON.stringify(record))
            : this.env.ARTICLES.delete(articleKey(slug)),
        ),
      ),
    );
    const entries: Record<string, unknown> = {};
    for (const [slug, entry] of writes.catalog) entries[`${CATALOG_PREFIX}${slug}`] = entry;
    if (writes.seq !== undefined) entries[SEQ_KEY] = writes.seq;
    await this.putAll(entries);
  }

  private async rebuildDocuments(dirty: DirtySet): Promise<StoredDoc[]> {
    const site = this.site;
    const catalog = await this.loadCatalog();
    const all = [...catalog.values()];
    const nowMs = Date.now();

    const scopes: FeedScope[] = [
      ...(dirty.site ? [{ kind: "site" } as const] : []),
      ...[...dirty.categories].map((slug) => ({ kind: "category", slug }) as const),
      ...[...dirty.authors].map((slug) => ({ kind: "author", slug }) as const),
    ];
    const selections = scopes.map((scope) => ({
      scope,
      live: selectLive(all, scope, site.feedSize),
    }));
    const layout = await this.layout();
    const pages = [...dirty.archivePages]
      .filter((k) => k >= 1 && k <= openPage(layout))
      .map((k) => ({
        k,
        live: all.filter((e) => !e.deleted && seqInPage(e.seq, k, layout.pageSize)).sort(byNewest),
      }));
    const wanted = new Set([
      ...selections.flatMap((s) => s.live.map((e) => e.slug)),
      ...pages.flatMap((p) => p.live.map((e) => e.slug)),
      ...dirty.slugs,
    ]);
    const records = await this.readRecords(
      [...wanted].filter((slug) => !catalog.get(slug)?.deleted),
    );

    const entriesOf = (live: CatalogEntry[]) =>
      live.flatMap((e) => {
        const record = records.get(e.slug);
        return record ? [this.entryOf(record)] : [];
      });
    const docs: RenderedDoc[] = [];
    for (const { k, live } of pages)
      docs.push(...renderArchivePage(site, k, layout, entriesOf(live)));
    for (const { scope, live } of selections) {
      const entries = entriesOf(live);
      const tombstones = selectTombstones(all, scope, site.tombstoneDays, nowMs).map((e) => ({
        id: absolute(site, articlePath(e.slug)),
        when: e.deleted as string,
      }));
      // A scope with nothing left (its last article deleted) still answers, empty.
      const archive = scope.kind === "site" ? layout : undefined;
      docs.push(
        ...renderScopeFeeds(site, scope, scopeLabel(all, scope), entries, tombstones, archive),
      );
      if (scope.kind === "site") docs.push(renderHomeDoc(site, entries));
    }
    for (const slug of dirty.slugs) {
      const entry = catalog.get(slug);
      const record = records.get(slug);
      if (entry?.deleted) docs.push(renderGoneDoc(site, slug, entry.deleted));
      else if (record) docs.push(renderArticleDoc(site, record, this.entryOf(record)));
    }
    const stored = await this.store(docs);
    const topics = stored
      .filter(({ doc, changed }) => changed && scopeOfFeedPath(doc.path))
      .map(({ doc }) => absolute(site, doc.path));
    if (site.hubs.length > 0 && topics.length > 0) {
      // Not awaited by the publish: subscribers hear of it within seconds, the editor
      // does not wait for hubs (and their retries).
      this.ctx.waitUntil(notifyHubs(site.hubs, topics, this.notifyOptions()));
    }
    return stored;
  }

  private notifyOptions(): NotifyOptions {
    const base = Number(this.env.WEBSUB_RETRY_MS);
    return {
      ...DEFAULT_NOTIFY,
      ...(Number.isFinite(base) && base > 0 ? { baseDelayMs: base } : {}),
    };
  }

  private async metaFor(doc: RenderedDoc): Promise<DocMeta> {
    const bytes = new TextEncoder().encode(doc.body);
    const etag = await strongEtag(bytes);
    const state = this.docState.get(doc.path);
    // Last-Modified moves only when the bytes change. The first version is dated by its
    // content, so a fresh load of the same articles gives the same headers.
    const lastModified = !state
      ? doc.updated
      : state.etag === etag
        ? state.lastModified
        : isoFromEpochMs(Date.now());
    return {
      etag,
      lastModified,
      contentType: doc.contentType,
      language: doc.language,
      length: bytes.byteLength,
      status: doc.status,
      build: this.build,
    };
  }

  /** Writes documents to KV, then their validators to storage in one batch. */
  private async store(docs: RenderedDoc[]): Promise<StoredDoc[]> {
    const stored = await Promise.all(
      docs.map(async (doc) => {
        const meta = await this.metaFor(doc);
        await withRetries(() =>
          this.env.ARTICLES.put(docKey(doc.path), doc.body, { metadata: meta }),
        );
        return { doc, meta, changed: this.docState.get(doc.path)?.etag !== meta.etag };
      }),
    );
    const states: Record<string, { etag: string; lastModified: string }> = {};
    for (const { doc, meta } of stored) {
      const state = { etag: meta.etag, lastModified: meta.lastModified };
      this.docState.set(doc.path, state);
      states[`${DOC_STATE_PREFIX}${doc.path}`] = state;
    }
    await this.putAll(states);
    return stored;
  }

  /** Durable Object storage takes at most 128 pairs per put. */
  private async putAll(entries: Record<string, unknown>): Promise<void> {
    const keys = Object.keys(entries);
    for (let i = 0; i < keys.length; i += 128) {
      const chunk = Object.fromEntries(keys.slice(i, i + 128).map((k) => [k, entries[k]]));
      await this.ctx.storage.put(chunk, CONCURRENT);
    }
  }
}

/** The scope a feed path belongs to, if it is a feed path. */
export function scopeOfFeedPath(path: string): FeedScope | undefined {
  const match =
    /^(?:\/(categories|authors)\/([a-z0-9-]+))?\/(feed\.xml|atom\.xml|feed\.json)$/.exec(path);
  if (!match) return undefined;
  if (!match[1]) return { kind: "site" };
  return { kind: match[1] === "categories" ? "category" : "author", slug: match[2] as string };
}
