/**
 * KV reads per request, read off the counting Worker's response headers
 * (counting-worker.ts). Requests go one at a time and several per route, so a route that
 * reads more on some requests than on others (a cache miss, a fallback) shows as max > min.
 */
import type { Target } from "./http-bench.ts";

export interface ReadCount {
  target: Target;
  requests: number;
  minReads: number;
  maxReads: number;
  meanReads: number;
  /** Publisher stubs obtained: non-zero means the read path rendered on demand. */
  doCalls: number;
  /** Statuses other than the expected one. */
  unexpected: string[];
}

function header(response: Response, name: string): number {
  const value = response.headers.get(name);
  if (value === null) throw new Error(`${name} missing: is this the counting Worker?`);
  return Number(value);
}

export async function countReads(
  base: string,
  targets: Target[],
  requestsPerTarget = 10,
): Promise<ReadCount[]> {
  const out: ReadCount[] = [];
  for (const target of targets) {
    const reads: number[] = [];
    let doCalls = 0;
    const unexpected: string[] = [];
    for (let i = 0; i < requestsPerTarget; i++) {
      const response = await fetch(`${base}${target.path}`, {
        headers: { ...target.headers, "Accept-Encoding": "identity" },
      });
      await response.arrayBuffer();
      if (response.status !== target.expect) unexpected.push(String(response.status));
      reads.push(header(response, "X-Bench-KV-Reads"));
      doCalls += header(response, "X-Bench-DO-Calls");
    }
    out.push({
      target,
      requests: requestsPerTarget,
      minReads: Math.min(...reads),
      maxReads: Math.max(...reads),
      meanReads: reads.reduce((a, b) => a + b, 0) / reads.length,
      doCalls,
      unexpected,
    });
  }
  return out;
}
