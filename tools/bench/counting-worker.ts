/**
 * Bench-only Worker entry: the real app, with its KV and Durable Object bindings wrapped
 * in counting proxies, so that "KV reads per request" is measured through the binding
 * itself rather than inferred from the source. Production code is untouched: this module
 * imports the same Hono app and re-exports the same Publisher class (wrangler.toml's
 * Durable Object binding needs it exported from the entry module).
 *
 * Each response carries
 *   X-Bench-KV-Reads:  keys read through env.ARTICLES (get, getWithMetadata, list;
 *                      a bulk get of n keys counts n),
 *   X-Bench-DO-Calls:  Publisher stubs obtained (non-zero means the read path fell back
 *                      to rendering on demand, which is not the steady state).
 * Counters live in a per-request env, so concurrent requests cannot mix their counts.
 * The Publisher's own KV traffic is not counted: it runs on its own env, and on the
 * steady-state read path it is not called at all (X-Bench-DO-Calls shows whether it was).
 */

import type { Env } from "../../src/worker/env.ts";
import app from "../../src/worker/index.ts";

export { Publisher } from "../../src/worker/index.ts";

const KV_READS = new Set<PropertyKey>(["get", "getWithMetadata", "list"]);

interface Counter {
  count: number;
}

/** `target` with every call of the named methods counted (with `weigh` deciding how much). */
function counting<T extends object>(
  target: T,
  methods: Set<PropertyKey>,
  counter: Counter,
  weigh: (args: unknown[]) => number = () => 1,
): T {
  return new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== "function") return value;
      // Bound to the real binding: workerd's native methods reject a Proxy as `this`.
      return (...args: unknown[]) => {
        if (methods.has(property)) counter.count += weigh(args);
        return value.apply(object, args);
      };
    },
  });
}

/** A bulk get reads as many keys as it is given. */
const keysRead = (args: unknown[]) => (Array.isArray(args[0]) ? args[0].length : 1);

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const reads: Counter = { count: 0 };
    const publisherCalls: Counter = { count: 0 };
    const articles = counting(env.ARTICLES, KV_READS, reads, keysRead);
    const publisher = counting(env.PUBLISHER, new Set(["get"]), publisherCalls);
    const countedEnv = new Proxy(env, {
      get(object, property) {
        if (property === "ARTICLES") return articles;
        if (property === "PUBLISHER") return publisher;
        return Reflect.get(object, property, object);
      },
    });
    const response = await app.fetch(request, countedEnv, ctx);
    // Read the body first, so that any read made while streaming it is counted too.
    const body = request.method === "HEAD" ? null : await response.arrayBuffer();
    const counted = new Response(response.status === 304 ? null : body, response);
    counted.headers.set("X-Bench-KV-Reads", String(reads.count));
    counted.headers.set("X-Bench-DO-Calls", String(publisherCalls.count));
    return counted;
  },
} satisfies ExportedHandler<Env>;
