/**
 * Running the Workers under test in workerd, and filling the store through the admin API.
 *
 * Each Worker is started with wrangler's unstable_startWorker (../local-worker.ts): the
 * bindings wrangler.toml declares (KV namespace, SQLite-backed Durable Object, [vars]) as
 * `wrangler dev` sets them up, running the bundle `wrangler deploy` would upload
 * (bundle.ts) as it is, and measured on Miniflare's own socket, not through wrangler's dev
 * proxy (which would be measured instead: see local-worker.ts).
 *
 * The real and the counting Worker use the same persist folder one after the other,
 * never at once, so the counting run reads exactly the documents the real run served.
 * The Worker serves everything itself (wrangler.toml has no [assets]).
 */
import type { Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import { BULK_MAX_ARTICLES } from "../../src/core/publishing/limits.ts";
import { startLocalWorker } from "../local-worker.ts";
import type { BenchArticle } from "./articles.ts";

export interface RunningWorker {
  /** http://127.0.0.1:<port> */
  base: string;
  /** Values and metadata of the given keys of a KV binding, read from outside the Worker. */
  readKv(
    binding: string,
    keys: string[],
  ): Promise<Map<string, { value: ArrayBuffer; metadata: unknown }>>;
  /** Whether the Publisher has nothing left to do (no commit, no queued or deferred rebuild). */
  writerIdle(): Promise<boolean>;
  stop(): Promise<void>;
}

/** The part of wrangler.toml the benchmark reads itself (wrangler's config types do not resolve). */
export interface WranglerToml {
  name?: string;
  compatibility_date?: string;
  compatibility_flags?: string[];
  vars?: Record<string, unknown>;
  kv_namespaces?: { binding: string; id?: string }[];
  durable_objects?: { bindings?: { name: string; class_name: string }[] };
  migrations?: { new_sqlite_classes?: string[] }[];
}

export function readWranglerToml(config: string): WranglerToml {
  return experimental_readRawConfig({ config }).rawConfig as WranglerToml;
}

/** What Miniflare needs from wrangler.toml: compatibility settings, vars and bindings. */
export function bindingsOf(config: string): Record<string, unknown> {
  const rawConfig = readWranglerToml(config);
  const sqlite = new Set((rawConfig.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  return {
    // The Worker's name keys its Durable Object storage: same name, same state.
    name: rawConfig.name,
    compatibilityDate: rawConfig.compatibility_date,
    compatibilityFlags: rawConfig.compatibility_flags ?? [],
    bindings: rawConfig.vars ?? {},
    kvNamespaces: Object.fromEntries(
      (rawConfig.kv_namespaces ?? []).map((kv) => [kv.binding, kv.id ?? kv.binding]),
    ),
    durableObjects: Object.fromEntries(
      (rawConfig.durable_objects?.bindings ?? []).map((d) => [
        d.name,
        { className: d.class_name, useSQLite: sqlite.has(d.class_name) },
      ]),
    ),
  };
}

/** The Publisher's stub, for its RPC methods (through Miniflare's proxy; results are proxies too). */
export async function publisherOf<T>(miniflare: Miniflare): Promise<T> {
  const ns = await miniflare.getDurableObjectNamespace("PUBLISHER");
  return ns.get(ns.idFromName("main")) as unknown as T;
}

/** An RPC result through Miniflare's proxy, as plain data. */
export const plain = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T;

export async function startWorker(options: {
  scriptPath: string;
  config: string;
  persistTo?: string;
  secrets?: Record<string, string>;
}): Promise<RunningWorker> {
  const worker = await startLocalWorker({
    config: options.config,
    script: options.scriptPath,
    ...(options.persistTo ? { persist: options.persistTo } : {}),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    assets: false,
  });
  return {
    base: worker.url.origin,
    async readKv(binding, keys) {
      const kv = await worker.miniflare.getKVNamespace(binding);
      const entries = new Map<string, { value: ArrayBuffer; metadata: unknown }>();
      for (const key of keys) {
        const { value, metadata } = await kv.getWithMetadata(key, "arrayBuffer");
        if (value !== null) entries.set(key, { value, metadata });
      }
      return entries;
    },
    async writerIdle() {
      const stub = await publisherOf<{ stats(): Promise<unknown> }>(worker.miniflare);
      return plain<{ idle: boolean }>(await stub.stats()).idle;
    },
    stop: () => worker.stop(),
  };
}

export interface LoadResult {
  loaded: number;
  failures: string[];
  ms: number;
}

/**
 * Loads articles through the bulk endpoint (PUT /api/articles, BULK_MAX_ARTICLES per
 * request, `concurrency` requests in flight): what `content:load` does.
 */
export async function loadArticles(
  base: string,
  adminToken: string,
  articles: BenchArticle[],
  concurrency: number,
): Promise<LoadResult> {
  const started = performance.now();
  const failures: string[] = [];
  const batches: BenchArticle[][] = [];
  for (let i = 0; i < articles.length; i += BULK_MAX_ARTICLES)
    batches.push(articles.slice(i, i + BULK_MAX_ARTICLES));
  let next = 0;
  let loaded = 0;
  async function lane(): Promise<void> {
    while (next < batches.length) {
      const batch = batches[next++] as BenchArticle[];
      const response = await fetch(`${base}/api/articles`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({
          articles: batch.map(({ slug, article }) => ({ slug, ...article })),
        }),
      });
      const text = await response.text();
      if (response.ok) loaded += batch.length;
      else failures.push(`${batch[0]?.slug}…: HTTP ${response.status} ${text.slice(0, 200)}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { loaded, failures, ms: performance.now() - started };
}
