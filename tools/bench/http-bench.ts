/**
 * HTTP throughput and latency with autocannon, each target against the real Worker and
 * against the baseline Worker answering with the very response ours sent (status,
 * headers, body; see baseline-worker.ts for why nothing less will do).
 *
 * Why a baseline in the same run: on a 2-core machine the load generator, Miniflare's
 * entry Worker and workerd share the CPU, so absolute req/s say as much about the machine
 * as about the Worker. The ratio ours/baseline is what our code costs over the cheapest
 * possible Worker serving the same bytes through the same stack. The two are measured in
 * alternating rounds (ours, baseline, baseline, ours, …), so a slow moment of the machine
 * falls on both, and the ratio reported is the median of the rounds' ratios.
 *
 * Requests carry no Accept-Encoding (autocannon sends none), so bodies are served
 * uncompressed, as they leave the Worker; in production Cloudflare's edge compresses.
 */
import autocannon from "autocannon";
import { median } from "./timing.ts";

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
  etag: string | null;
  /** The body itself: the baseline serves these exact bytes. */
  body: ArrayBuffer;
  /** Every response header, in order: the baseline sends these exact headers. */
  headers: [string, string][];
}

export interface LoadFigures {
  /** Completed requests per second over all rounds. */
  rps: number;
  /** Median of the rounds' p50, and the worst round's p99 (ms). */
  p50: number;
  p99: number;
  completed: number;
  statuses: Record<string, number>;
  /** Responses whose status was not the expected one. */
  unexpected: number;
  /** The first of them: status and the start of its body, to say what went wrong. */
  firstUnexpected?: string;
  errors: number;
  timeouts: number;
}

export interface TargetResult {
  target: Target;
  probe: Probe;
  ours: LoadFigures;
  baseline: LoadFigures;
  /** Median over rounds of ours/baseline req/s. */
  ratio: number;
  /** Lowest and highest round ratio: the spread that the median smooths. */
  ratioMin: number;
  ratioMax: number;
}

export interface LoadOptions {
  /** Seconds per round and side. */
  durationS: number;
  connections: number;
  rounds: number;
}

/** One request, uncompressed, to learn what the baseline must imitate. */
export async function probe(url: string, headers: Record<string, string> = {}): Promise<Probe> {
  const response = await fetch(url, { headers: { ...headers, "Accept-Encoding": "identity" } });
  const body = await response.arrayBuffer();
  return {
    status: response.status,
    bytes: body.byteLength,
    etag: response.headers.get("ETag"),
    body,
    headers: [...response.headers],
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

interface Round {
  rps: number;
  seconds: number;
  p50: number;
  p99: number;
  completed: number;
  statuses: Record<string, number>;
  firstUnexpected?: string;
  errors: number;
  timeouts: number;
}

/** How much of an unexpected response's body the report shows. */
const SAMPLE_CHARS = 300;

async function round(
  url: string,
  headers: Record<string, string>,
  expect: number,
  options: LoadOptions,
): Promise<Round> {
  let firstUnexpected: string | undefined;
  const result = await autocannon({
    url,
    headers,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    // autocannon builds every body as a string anyway; this only looks at it.
    requests: [
      {
        onResponse: (status, body) => {
          if (status !== expect && firstUnexpected === undefined)
            firstUnexpected = `${status}: ${body.slice(0, SAMPLE_CHARS)}`;
        },
      },
    ],
  });
  const { statuses, completed } = countStatuses(result.statusCodeStats);
  return {
    rps: completed / result.duration,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    completed,
    statuses,
    ...(firstUnexpected !== undefined && { firstUnexpected }),
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** A run's responses by status code (from autocannon's statusCodeStats), and in all. */
export function countStatuses(stats: Record<string, { count: number }>): {
  statuses: Record<string, number>;
  completed: number;
} {
  const statuses = Object.fromEntries(
    Object.entries(stats).map(([code, { count }]) => [code, count]),
  );
  return { statuses, completed: Object.values(statuses).reduce((a, b) => a + b, 0) };
}

/** Adds the counts of `more` to `into`, status by status. */
export function addStatuses(into: Record<string, number>, more: Record<string, number>): void {
  for (const [code, n] of Object.entries(more)) into[code] = (into[code] ?? 0) + n;
}

function firstOf(rounds: Round[]): { firstUnexpected?: string } {
  const first = rounds.find((r) => r.firstUnexpected !== undefined)?.firstUnexpected;
  return first === undefined ? {} : { firstUnexpected: first };
}

function combine(rounds: Round[], expect: number): LoadFigures {
  const statuses: Record<string, number> = {};
  for (const r of rounds) addStatuses(statuses, r.statuses);
  const completed = rounds.reduce((n, r) => n + r.completed, 0);
  return {
    rps: completed / rounds.reduce((n, r) => n + r.seconds, 0),
    p50: median(rounds.map((r) => r.p50)),
    p99: Math.max(...rounds.map((r) => r.p99)),
    completed,
    statuses,
    unexpected: completed - (statuses[String(expect)] ?? 0),
    ...firstOf(rounds),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    timeouts: rounds.reduce((n, r) => n + r.timeouts, 0),
  };
}

let registered = 0;

/** Gives the baseline Worker our response to repeat; returns the URL that answers it. */
async function registerWithBaseline(baselineBase: string, p: Probe): Promise<string> {
  const key = String(registered++);
  const response = await fetch(`${baselineBase}/__response?key=${key}`, {
    method: "PUT",
    headers: {
      "X-Bench-Status": String(p.status),
      "X-Bench-Headers": encodeURIComponent(JSON.stringify(p.headers)),
    },
    body: p.body,
  });
  if (!response.ok) throw new Error(`baseline refused the response: HTTP ${response.status}`);
  const url = `${baselineBase}/?key=${key}`;
  const check = await probe(url);
  if (check.status !== p.status || check.bytes !== p.bytes) {
    throw new Error(
      `baseline answers ${check.status} with ${check.bytes} bytes, ours ${p.status} with ${p.bytes}`,
    );
  }
  return url;
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
  const baselineUrl = await registerWithBaseline(baselineBase, p);
  await warmUp(url, { ...target.headers, "Accept-Encoding": "identity" });
  await warmUp(baselineUrl, { "Accept-Encoding": "identity" });
  const ours: Round[] = [];
  const baseline: Round[] = [];
  for (let i = 0; i < options.rounds; i++) {
    // ABBA order: neither side always goes first, after the other has heated the machine.
    const oursFirst = i % 2 === 0;
    const oursRound = () => round(url, target.headers, target.expect, options);
    if (oursFirst) ours.push(await oursRound());
    baseline.push(await round(baselineUrl, {}, target.expect, options));
    if (!oursFirst) ours.push(await oursRound());
  }
  const ratios = ours.map((r, i) => r.rps / (baseline[i] as Round).rps);
  return {
    target,
    probe: p,
    ours: combine(ours, target.expect),
    baseline: combine(baseline, target.expect),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
  };
}
