/**
 * CPU per request of the Worker's read path: the same Hono routes (src/worker/routes/
 * read.ts) run in Node's V8 over the documents the real Worker stored, one request after
 * another, timed with performance.now().
 *
 * Why here and not in workerd: a Worker cannot time itself (workerd freezes its clocks
 * while JavaScript runs, a Spectre mitigation), and the HTTP runs cannot show it either.
 * On a 2-core machine autocannon, which turns every body into a string, is the
 * bottleneck for full feeds: measured, a Worker that burned an extra 0.8 ms per request
 * served a 370 KiB feed at the same req/s as one that did not (2.5 ms: about 20% fewer).
 * The free plan's limit is CPU time (10 ms per request), so this is the figure it is
 * judged by. It leaves out what the runtime does natively outside JavaScript: the KV
 * transfer itself, and writing the body to the socket.
 *
 * Two cases per route: "memory", the steady state under polling (the isolate answers
 * from its memory: DOC_MEMORY_TTL_MS); and "KV read", memory off, so every request goes
 * through getWithMetadata, here a Map returning the bytes and metadata the real Worker
 * stored (so the cost counted is ours around the read, not the store's). Both include
 * Node's Response constructor, timed alone beside them: for a full feed it is most of
 * the figure, and in workerd it is native code.
 */
import { Hono } from "hono";
import type { AppEnv, Env } from "../../src/worker/env.ts";
import { readRoutes } from "../../src/worker/routes/read.ts";
import { type DocMeta, docKey } from "../../src/worker/store/keys.ts";
import type { Target } from "./http-bench.ts";
import { type Timing, type TimingOptions, timeAsync } from "./timing.ts";

export interface StoredDoc {
  value: ArrayBuffer;
  metadata: DocMeta;
}

export interface CpuRow {
  target: Target;
  status: number;
  memory: Timing;
  kvRead: Timing;
  /**
   * Node's own `new Response(body)` for the same bytes, inside both figures above: undici
   * copies the body, which workerd does natively (measured: about 0.5 ms for 370 KiB).
   */
  responseOnly: Timing;
}

/** Just enough of KVNamespace for the read path, over documents copied from the real store. */
function mapKv(docs: Map<string, StoredDoc>): KVNamespace {
  const getWithMetadata = async (key: string) => {
    const doc = docs.get(key);
    return doc
      ? { value: doc.value, metadata: doc.metadata, cacheStatus: null }
      : { value: null, metadata: null, cacheStatus: null };
  };
  return { getWithMetadata } as unknown as KVNamespace;
}

/** The paths whose documents `measureHandlerCpu` needs from the store. */
export const docKeysOf = (targets: Target[]) => [...new Set(targets.map((t) => docKey(t.path)))];

export async function measureHandlerCpu(
  vars: Record<string, string>,
  docs: Map<string, StoredDoc>,
  targets: Target[],
  options: TimingOptions,
): Promise<CpuRow[]> {
  const app = new Hono<AppEnv>().route("/", readRoutes);
  const PUBLISHER = {
    get() {
      throw new Error("the read path asked the Publisher to render: a document is missing");
    },
    idFromName: () => ({}),
  };
  const envWith = (ttl: string) =>
    ({ ...vars, DOC_MEMORY_TTL_MS: ttl, ARTICLES: mapKv(docs), PUBLISHER }) as unknown as Env;
  // Distinct env objects: the parsed configuration is remembered per env (site-config.ts).
  const memoryEnv = envWith(vars.DOC_MEMORY_TTL_MS ?? "1000");
  const kvEnv = envWith("0");
  const rows: CpuRow[] = [];
  for (const target of targets) {
    // One Request reused: in workerd the runtime builds it, outside the Worker's code.
    const request = new Request(`${vars.SITE_URL}${target.path}`, { headers: target.headers });
    const call = (env: Env) => async () => {
      const response = await app.fetch(request, env);
      if (response.status !== target.expect) {
        throw new Error(`${target.name}: expected ${target.expect}, got ${response.status}`);
      }
      return response.status;
    };
    const first = await app.fetch(request, memoryEnv);
    const body = first.status === 304 ? null : docs.get(docKey(target.path))?.value;
    rows.push({
      target,
      status: first.status,
      memory: await timeAsync(call(memoryEnv), options),
      kvRead: await timeAsync(call(kvEnv), options),
      responseOnly: await timeAsync(
        async () => new Response(body, { status: first.status }).status,
        options,
      ),
    });
  }
  return rows;
}
