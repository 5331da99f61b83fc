/**
 * The Worker in workerd on this machine, started with wrangler's `unstable_startWorker`:
 * wrangler reads wrangler.toml (bindings, [vars], the Durable Object and its migrations,
 * compatibility settings, assets) exactly as `wrangler dev` does, and keeps the local KV
 * and Durable Object state where `wrangler dev` keeps it (`<persist>/v3`; the default
 * `.wrangler/state` is `wrangler dev`'s own), so what a tool writes, `npm start` serves.
 *
 * Requests go to Miniflare's own socket, not through the dev proxy that wrangler puts in
 * front (a Worker that forwards every request, there to survive reloads; unstable_dev put
 * the same one in front): measured earlier on the development machine, a 9 KB fixed
 * response reached about 220 req/s through the proxy and about 2,100 req/s without it,
 * same workerd, so a benchmark through it would measure the proxy.
 */
import "./offline-env.ts";
import { once } from "node:events";
import type { Miniflare } from "miniflare";
import { unstable_readConfig, unstable_startWorker } from "wrangler";

export interface LocalWorkerOptions {
  /** The wrangler config, default wrangler.toml. */
  config?: string;
  /** A module to run as it is (e.g. `wrangler deploy --dry-run` output) instead of `main`, bundled. */
  script?: string;
  /** The state folder, default `.wrangler/state` beside the config (as `wrangler dev`). */
  persist?: string;
  /** Secrets, as .dev.vars or `wrangler secret put` would give them (these win). */
  secrets?: Record<string, string>;
  /** Serve the config's [assets] before the Worker (default true). */
  assets?: boolean;
}

export interface LocalWorker {
  /** http://127.0.0.1:<port>/ */
  url: URL;
  /** The Miniflare instance that runs the Worker, to read its bindings from outside. */
  miniflare: Miniflare;
  stop(): Promise<void>;
}

export async function startLocalWorker(options: LocalWorkerOptions = {}): Promise<LocalWorker> {
  // wrangler reads its log level when it logs: no binding table and request lines here.
  process.env.WRANGLER_LOG ??= "warn";
  const config = unstable_readConfig({ config: options.config ?? "wrangler.toml" });
  const worker = await unstable_startWorker({
    config: options.assets === false ? { ...config, assets: undefined } : config,
    ...(options.script ? { entrypoint: options.script, build: { bundle: false } } : {}),
    bindings: Object.fromEntries(
      Object.entries(options.secrets ?? {}).map(([name, value]) => [
        name,
        { type: "secret_text", value },
      ]),
    ),
    dev: {
      ...(options.persist ? { persist: options.persist } : {}),
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      watch: false,
      liveReload: false,
    },
  });
  try {
    await worker.ready;
    const runtime = () => worker.raw.runtimes.find((r) => r.mf)?.mf;
    // The dev proxy can be ready before the runtime behind it has started.
    if (!runtime()) await once(worker.raw, "reloadComplete");
    const miniflare = runtime();
    if (!miniflare) throw new Error("wrangler started no local runtime");
    const url = await miniflare.ready;
    if (url.hostname !== "127.0.0.1") {
      throw new Error(`the Worker listens on ${url.hostname}, expected loopback only`);
    }
    return { url, miniflare, stop: () => worker.dispose() };
  } catch (error) {
    await worker.dispose();
    throw error;
  }
}
