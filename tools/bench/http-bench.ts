/**
 * HTTP throughput and latency with autocannon, each target against the real Worker and
 * then against the baseline Worker answering the same status, Content-Type and number
 * of bytes.
 *
 * Why a baseline in the same run: on a 2-core machine the load generator, Miniflare's
 * entry Worker and workerd share the CPU, so absolute req/s say as much about the machine
 * as about the Worker. The ratio ours/baseline is what our code costs over the cheapest
 * possible Worker serving the same bytes through the same stack.
 *
 * Requests carry no Accept-Encoding (autocannon sends none), so bodies are served
 * uncompressed, as they leave the Worker; in production Cloudflare's edge compresses.
 */
import autocannon from "autocannon";

export interface Target {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** The one status every response must have. */
  expect: 200 | 304;
}

export interface Probe {
  status: number;
  /** Body size in bytes (identity encoding). */
  bytes: number;
  contentType: string;
  etag: string | null;
  /** The body itself: the baseline serves these exact bytes. */
  body: ArrayBuffer;
}

export interface LoadFigures {
  /** Completed requests per second over the run. */
  rps: number;
  p50: number;
  p99: number;
  completed: number;
  /** Bytes read per response, headers included (a check that sizes really match). */
  bytesPerResponse: number;
  statuses: Record<string, number>;
  /** Responses whose status was not the expected one. */
  unexpected: number;
  errors: number;
  timeouts: number;
}

export interface TargetResult {
  target: Target;
  probe: Probe;
  ours: LoadFigures;
  baseline: LoadFigures;
  /** ours.rps / baseline.rps. */
  ratio: number;
}

export interface LoadOptions {
  durationS: number;
  connections: number;
}

/** One request, uncompressed, to learn what the baseline must imitate. */
export async function probe(url: string, headers: Record<string, string> = {}): Promise<Probe> {
  const response = await fetch(url, { headers: { ...headers, "Accept-Encoding": "identity" } });
  const body = await response.arrayBuffer();
  return {
    status: response.status,
    bytes: body.byteLength,
    contentType: response.headers.get("Content-Type") ?? "",
    etag: response.headers.get("ETag"),
    body,
  };
}

/** The site's three feeds, one article page and a feed revalidation that should be a 304. */
export function targets(articleSlug: string, feedEtag: string): Target[] {
  return [
    { name: "GET /feed.xml", path: "/feed.xml", headers: {}, expect: 200 },
    { name: "GET /atom.xml", path: "/atom.xml", headers: {}, expect: 200 },
    { name: "GET /feed.json", path: "/feed.json", headers: {}, expect: 200 },
    {
      name: "GET /articles/<slug>",
      path: `/articles/${articleSlug}`,
      headers: {},
      expect: 200,
    },
    {
      name: "304 /feed.xml (If-None-Match)",
      path: "/feed.xml",
      headers: { "If-None-Match": feedEtag },
      expect: 304,
    },
  ];
}

/** A hundred requests first, so JIT and caches are warm before anything is timed. */
async function warmUp(url: string, headers: Record<string, string>): Promise<void> {
  let left = 100;
  const lane = async () => {
    while (left-- > 0) await (await fetch(url, { headers })).arrayBuffer();
  };
  await Promise.all(Array.from({ length: 10 }, lane));
}

async function load(
  url: string,
  headers: Record<string, string>,
  expect: number,
  options: LoadOptions,
): Promise<LoadFigures> {
  await warmUp(url, { ...headers, "Accept-Encoding": "identity" });
  const result = await autocannon({
    url,
    headers,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
  });
  const statuses = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  const completed = Object.values(statuses).reduce((a, b) => a + b, 0);
  return {
    rps: completed / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    completed,
    bytesPerResponse: completed ? result.throughput.total / completed : 0,
    statuses,
    unexpected: completed - (statuses[String(expect)] ?? 0),
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The baseline URL that answers like `probe` did, byte for byte in size. */
function baselineUrl(base: string, p: Probe): string {
  const query = new URLSearchParams({
    bytes: String(p.bytes),
    type: p.contentType,
    status: String(p.status),
  });
  return `${base}/?${query}`;
}

export async function benchTarget(
  target: Target,
  oursBase: string,
  baselineBase: string,
  options: LoadOptions,
): Promise<TargetResult> {
  const url = `${oursBase}${target.path}`;
  const p = await probe(url, target.headers);
  if (p.status !== target.expect) {
    throw new Error(`${target.name}: expected ${target.expect}, the probe got ${p.status}`);
  }
  const ours = await load(url, target.headers, target.expect, options);
  // The baseline serves the very bytes we served: what the local transport costs depends
  // on the bytes, not only on their number (measured: a baseline of Arabic bytes ran 4–5×
  // slower than one of "a" for the RSS and JSON media types, and no slower for Atom).
  const register = await fetch(`${baselineBase}/__body?bytes=${p.bytes}`, {
    method: "PUT",
    body: p.body,
  });
  if (!register.ok) throw new Error(`baseline refused the body: HTTP ${register.status}`);
  const baseline = await load(baselineUrl(baselineBase, p), {}, target.expect, options);
  return { target, probe: p, ours, baseline, ratio: ours.rps / baseline.rps };
}
