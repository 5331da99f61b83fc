/**
 * Running the Workers under test in workerd through Miniflare, and filling the store
 * through the admin API.
 *
 * Why Miniflare and not wrangler's unstable_dev: unstable_dev puts wrangler's dev proxy
 * (a Worker that forwards every request) in front of the Worker. Measured on the
 * development machine, a 9 KB fixed response reached about 220 req/s through it and
 * about 2,100 req/s from Miniflare directly, same workerd: through the proxy the
 * benchmark would measure the proxy. Miniflare is the engine under `wrangler dev`;
 * it runs the bundle `wrangler deploy` would upload (bundle.ts), with the bindings
 * wrangler.toml declares (KV namespace, SQLite-backed Durable Object, [vars]).
 *
 * The real and the counting Worker use the same persist folder one after the other,
 * never at once, so the counting run reads exactly the documents the real run served.
 * wrangler.toml's [assets] (static files such as feed.xsl) are not served: no
 * benchmarked route is a static file, and in production assets are matched before the
 * Worker runs, outside its CPU time.
 */
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import type { BenchArticle } from "./articles.ts";

export interface RunningWorker {
  /** http://127.0.0.1:<port> */
  base: string;
  /** Values and metadata of the given keys of a KV binding, read from outside the Worker. */
  readKv(
    binding: string,
    keys: string[],
  ): Promise<Map<string, { value: ArrayBuffer; metadata: unknown }>>;
  stop(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";

/** The part of wrangler.toml read here (wrangler's own config types do not resolve). */
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

export async function startWorker(options: {
  scriptPath: string;
  config: string;
  persistTo?: string;
  vars?: Record<string, string>;
}): Promise<RunningWorker> {
  const fromConfig = bindingsOf(options.config);
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: LOOPBACK,
      port: 0,
      // No Request.cf fetch from the internet; the Worker does not read it.
      cf: false,
      logRequests: false,
      ...(options.persistTo ? { resourcePersistencePath: options.persistTo } : {}),
      modules: true,
      scriptPath: options.scriptPath,
      modulesRoot: options.scriptPath.replace(/\/[^/]*$/, ""),
      ...fromConfig,
      bindings: { ...(fromConfig.bindings as Record<string, unknown>), ...options.vars },
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const url = await mf.ready;
  if (url.hostname !== LOOPBACK) {
    await mf.dispose();
    throw new Error(`Miniflare listened on ${url.hostname}, expected loopback only`);
  }
  return {
    base: url.origin,
    async readKv(binding, keys) {
      const kv = await mf.getKVNamespace(binding);
      const entries = new Map<string, { value: ArrayBuffer; metadata: unknown }>();
      for (const key of keys) {
        const { value, metadata } = await kv.getWithMetadata(key, "arrayBuffer");
        if (value !== null) entries.set(key, { value, metadata });
      }
      return entries;
    },
    stop: () => mf.dispose(),
  };
}

export interface LoadResult {
  loaded: number;
  failures: string[];
  ms: number;
}

/**
 * PUTs articles with a few requests in flight, as several editors would. On the
 * development machine the number in flight made no difference to the load time (1, 4
 * and 16: about 230 ms per article with 200 stored), so it is not a tuning knob here.
 */
export async function loadArticles(
  base: string,
  adminToken: string,
  articles: BenchArticle[],
  concurrency: number,
): Promise<LoadResult> {
  const started = performance.now();
  const failures: string[] = [];
  let next = 0;
  let loaded = 0;
  async function lane(): Promise<void> {
    while (next < articles.length) {
      const { slug, article } = articles[next++] as BenchArticle;
      const response = await fetch(`${base}/api/articles/${slug}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(article),
      });
      const text = await response.text();
      if (response.ok) loaded++;
      else failures.push(`${slug}: HTTP ${response.status} ${text.slice(0, 200)}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { loaded, failures, ms: performance.now() - started };
}
