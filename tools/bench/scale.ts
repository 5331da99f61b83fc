/**
 * Archive-scale benchmark (issue 11): how publishing, the admin API, cold starts, a
 * configuration change and isolate memory behave with 1,000, 10,000 and 100,000 stored
 * articles.
 *
 *   npm run bench:scale
 *   SCALE_SIZES=1000,10000 npm run bench:scale      # a shorter run
 *
 * Per size, on a fresh persist folder (nothing carried over from the previous size):
 *   1. the deployable bundle (`wrangler deploy --dry-run`) in workerd through Miniflare,
 *      with the production write pacing (KV_WRITE_INTERVAL_MS unset: 1000 ms), loaded
 *      through the admin API's bulk endpoint, PUT /api/articles, 200 articles a request,
 *      SCALE_IN_FLIGHT (4) requests in flight;
 *   2. V8 heap of the isolate (inspector.ts) fresh, after loading, and after crawling
 *      every archive page once;
 *   3. 30 single publishes, one after another, SCALE_PUBLISH_GAP_MS (1.5 s) apart as an
 *      editor would (and more than the pacing interval, so no publish waits for the one
 *      before it), and 30 admin list calls;
 *   4. cold starts: Miniflare disposed and recreated on the same folder (new workerd
 *      process, new isolate, the Durable Object starts from storage), then the first
 *      publish; again, then the first admin list; SCALE_COLD_STARTS (5) times each;
 *   (3 and 4 at the larger sizes: in turns with the same requests on a copy of the first
 *   size's store, kept for this, so each growth ratio compares two stores in the same minutes;
 *   the targets are judged on those ratios);
 *   5. a configuration change: a restart with another SITE_TITLE, the first GET
 *      /feed.xml, when /feed.xml shows the new title, and when the alarm-driven full
 *      re-render is finished (the Publisher's rerenderStatus() over RPC);
 *   6. the instrumented bundle (scale-worker.ts: the same app, a Publisher that counts
 *      its KV operations and times its commit phases) on the same folder: 3 bulk
 *      requests, 5 single publishes, and the first re-render alarms after another
 *      configuration change;
 *   7. a second fresh folder, the real bundle with KV_WRITE_INTERVAL_MS=0, the same load:
 *      what the write pacing costs (SCALE_UNPACED=0 skips it; sizes above
 *      SCALE_UNPACED_MAX, 10,000, skip it too: on the 2-core development VM the bulk
 *      rate is about 30/s with or without pacing, and 100,000 more would take an hour).
 *
 * Bulk request latencies are measured by the client with 4 in flight. Locally the Worker
 * and the Publisher share one isolate, and workerd was seen to deliver the Worker's
 * responses only when the Publisher paused between commits (handlers finished at 8.4,
 * 13.0 and 17.5 s; all three responses reached the client at 18.2 s), so per-request
 * latencies bunch; the rate and the total time are not affected.
 *
 * Settings (environment): SCALE_SIZES (1000,10000,100000), SCALE_IN_FLIGHT (4),
 * SCALE_SAMPLES (30), SCALE_PUBLISH_GAP_MS (1500), SCALE_COLD_STARTS (5),
 * SCALE_RERENDER_TIMEOUT_S (900), SCALE_ALARM_WATCH_S (45), SCALE_UNPACED (1),
 * SCALE_UNPACED_MAX (10000),
 * SCALE_NODE_PROFILE (1: first reproduce one bulk commit's work in Node, scale-cpu.ts).
 */
// First, as a bare import: the environment wrangler reads when its module loads.
import "./offline.ts";
import { randomBytes } from "node:crypto";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseSettings } from "../../src/core/site.ts";
import { buildWorker } from "./bundle.ts";
import { describeMachine } from "./machine.ts";
import { BENCH_TMP } from "./offline.ts";
import { machineText, ms, num } from "./report.ts";
import { scaleArticle, scaleSlug } from "./scale-articles.ts";
import { bulkCommitInNode, type CommitCpu } from "./scale-cpu.ts";
import { Host } from "./scale-host.ts";
import { type BenchLog, noOps } from "./scale-log.ts";
import {
  alarmText,
  type ConfigRun,
  type CrawlRun,
  commitCpuText,
  commitTable,
  type KvRun,
  type LoadRun,
  median,
  mib,
  percentile,
  progressLine,
  publisherCpuPerBulk,
  rate,
  requestTable,
  type SizeResult,
  secs,
  sizeTable,
  targetsTable,
  windowRate,
  windowsText,
} from "./scale-report.ts";
import { plain, readWranglerToml } from "./workers.ts";

function setting(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number ≥ ${min}`);
  return value;
}

const CONFIG = "wrangler.toml";
const SIZES = [
  ...new Set(
    (process.env.SCALE_SIZES ?? "1000,10000,100000")
      .split(",")
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
  ),
].sort((a, b) => a - b);
/** The admin API's bulk limit (BULK_MAX_ARTICLES in src/core/publishing/limits.ts). */
const BATCH = 200;
const IN_FLIGHT = setting("SCALE_IN_FLIGHT", 4);
const SAMPLES = setting("SCALE_SAMPLES", 30);
const PUBLISH_GAP_MS = setting("SCALE_PUBLISH_GAP_MS", 1500, 0);
const COLD_STARTS = setting("SCALE_COLD_STARTS", 5);
const RERENDER_TIMEOUT_MS = setting("SCALE_RERENDER_TIMEOUT_S", 900) * 1000;
const ALARM_WATCH_MS = setting("SCALE_ALARM_WATCH_S", 45) * 1000;
const UNPACED = setting("SCALE_UNPACED", 1, 0) > 0;
/** Sizes above this skip the unpaced load (at 100,000 it alone would take about an hour here). */
const UNPACED_MAX = setting("SCALE_UNPACED_MAX", 10_000);
const NODE_PROFILE = setting("SCALE_NODE_PROFILE", 1, 0) > 0;

const TOML = readWranglerToml(CONFIG);
const VARS = Object.fromEntries(Object.entries(TOML.vars ?? {}).map(([k, v]) => [k, String(v)]));
const TITLE = VARS.SITE_TITLE ?? "";
const PAGE_SIZE = Number(VARS.ARCHIVE_PAGE_SIZE ?? 50);

const heading = (text: string) => console.log(`\n## ${text}\n`);
const sleep = (msToWait: number) => new Promise((r) => setTimeout(r, msToWait));

interface Bundles {
  real: string;
  instrumented: string;
}

/** Hosts still running: stopped at the end and on Ctrl-C, so no workerd is left behind. */
const running = new Set<Host>();

async function start(
  scriptPath: string,
  persistTo: string,
  vars: Record<string, string>,
  inspect = false,
): Promise<Host> {
  const host = await Host.start({ scriptPath, config: CONFIG, persistTo, vars, inspect });
  running.add(host);
  return host;
}

async function stop(host: Host): Promise<void> {
  running.delete(host);
  await host.stop();
}

process.once("SIGINT", () => {
  void Promise.allSettled([...running].map(stop)).finally(() => process.exit(130));
});

// ---- requests -----------------------------------------------------------------

function admin(token: string, body?: unknown): RequestInit {
  return {
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    ...(body !== undefined ? { method: "PUT", body: JSON.stringify(body) } : {}),
  };
}

async function timed(
  url: string,
  init?: RequestInit,
): Promise<{ ms: number; status: number; text: string }> {
  const began = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  return { ms: performance.now() - began, status: response.status, text };
}

/** Samples the isolate's used heap (no collection) until stopped; the highest sample. */
function heapSampler(host: Host, everyMs = 2000): () => Promise<number | undefined> {
  let highest: number | undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy || !host.inspector) return;
    busy = true;
    host.inspector
      .heapNow()
      .then((h) => {
        highest = Math.max(highest ?? 0, h.usedSize);
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  return async () => {
    clearInterval(timer);
    if (host.inspector) {
      const h = await host.inspector.heapNow().catch(() => undefined);
      if (h) highest = Math.max(highest ?? 0, h.usedSize);
    }
    return highest;
  };
}

/**
 * Articles `from`..`from+count-1` through PUT /api/articles, BATCH per request,
 * IN_FLIGHT requests at a time, progress printed at every tenth.
 */
async function bulkLoad(
  host: Host,
  token: string,
  from: number,
  count: number,
  quiet = false,
): Promise<LoadRun> {
  const run: LoadRun = {
    articles: 0,
    requests: 0,
    ms: 0,
    latencies: [],
    windows: [],
    generateMs: 0,
    failures: [],
  };
  const batches = Math.ceil(count / BATCH);
  const began = performance.now();
  let next = 0;
  let tenth = 1;
  let lastWindow = { articles: 0, ms: 0 };
  async function lane(): Promise<void> {
    while (next < batches) {
      const b = next++;
      const g = performance.now();
      const first = from + b * BATCH;
      const size = Math.min(BATCH, from + count - first);
      const articles = Array.from({ length: size }, (_, k) => {
        const { slug, article } = scaleArticle(first + k);
        return { slug, ...article };
      });
      const body = JSON.stringify({ articles });
      run.generateMs += performance.now() - g;
      const t = performance.now();
      let status = 0;
      let text = "";
      try {
        const response = await fetch(`${host.base}/api/articles`, {
          method: "PUT",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body,
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        text = (error as Error).message;
      }
      run.latencies.push(performance.now() - t);
      run.requests++;
      if (status === 200) {
        const answer = JSON.parse(text) as { created: number; updated: number; unchanged: number };
        run.articles += answer.created + answer.updated;
        if (answer.created !== size)
          run.failures.push(`batch at ${first}: created ${answer.created} of ${size}`);
      } else {
        run.failures.push(`batch at ${first}: HTTP ${status} ${text.slice(0, 200)}`);
      }
      const done = run.articles;
      if (tenth <= 10 && done >= (count * tenth) / 10) {
        while (tenth <= 10 && done >= (count * tenth) / 10) tenth++;
        const point = { articles: done, ms: performance.now() - began };
        const since = windowRate(lastWindow, point);
        lastWindow = point;
        run.windows.push(point);
        if (!quiet) console.log(progressLine(done, count, point.ms, since));
      }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  run.ms = performance.now() - began;
  return run;
}

/** Waits until the Publisher is idle (an import's deferred rebuilds done); how long that took. */
async function untilWriterIdle(host: Host): Promise<number> {
  const began = performance.now();
  const stub = await host.publisher<{ stats(): Promise<{ idle: boolean }> }>();
  while (performance.now() - began < RERENDER_TIMEOUT_MS) {
    if (plain<{ idle: boolean }>(await stub.stats()).idle) break;
    await sleep(250);
  }
  return performance.now() - began;
}

/** One new article (number `index`) through PUT /api/articles/:slug; the latency in ms. */
async function publishOne(
  host: Host,
  token: string,
  index: number,
  problems: string[],
): Promise<number> {
  const { slug, article } = scaleArticle(index);
  const r = await timed(`${host.base}/api/articles/${slug}`, admin(token, article));
  if (r.status !== 201) problems.push(`publish ${slug}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return r.ms;
}

/** One GET /api/articles?limit=20; the latency in ms. */
async function listOne(host: Host, token: string, problems: string[]): Promise<number> {
  const r = await timed(`${host.base}/api/articles?limit=20`, admin(token));
  if (r.status !== 200) problems.push(`list: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return r.ms;
}

/**
 * `count` samples of each series, taken in turns (sample k of every series, the order
 * reversed on every other k), so that series compared with each other share the same
 * minutes of this machine. Each sample starts `slotMs` after the one before it, whichever
 * series it belongs to: a publish on one store 750 ms after a publish on the other
 * measured both 1.7–2× slower than publishes 1.5 s apart. The latencies per series.
 */
async function inTurns(
  count: number,
  slotMs: number,
  series: ((k: number) => Promise<number>)[],
): Promise<number[][]> {
  const samples = series.map(() => [] as number[]);
  for (let k = 0; k < count; k++) {
    const order = series.map((_, i) => i);
    if (k % 2 === 1) order.reverse();
    for (const i of order) {
      const began = performance.now();
      samples[i]?.push(await (series[i] as (k: number) => Promise<number>)(k));
      const left = slotMs - (performance.now() - began);
      if (left > 0 && !(k === count - 1 && i === order[order.length - 1])) await sleep(left);
    }
  }
  return samples;
}

const NEXT_LINK = /<atom:link href="[^"]*\/archive\/(\d+)\/feed\.xml" rel="next"/;

/** GET /archive/k/feed.xml for every k up to the open page, IN_FLIGHT at a time. */
async function crawl(host: Host, articles: number): Promise<CrawlRun> {
  const feed = await timed(`${host.base}/feed.xml`);
  const expectedPages = Math.floor(articles / PAGE_SIZE) + 1;
  const open = Number(NEXT_LINK.exec(feed.text)?.[1] ?? Number.NaN);
  const run: CrawlRun = { pages: 0, expectedPages, ms: 0, bytes: 0, failures: [] };
  if (open !== expectedPages)
    run.failures.push(
      `/feed.xml says the open page is ${open}; ${articles} articles make it ${expectedPages}`,
    );
  const pages = Number.isFinite(open) ? open : expectedPages;
  const began = performance.now();
  let next = 1;
  async function lane(): Promise<void> {
    while (next <= pages) {
      const k = next++;
      const response = await fetch(`${host.base}/archive/${k}/feed.xml`);
      const bytes = (await response.arrayBuffer()).byteLength;
      run.pages++;
      run.bytes += bytes;
      if (response.status !== 200)
        run.failures.push(`/archive/${k}/feed.xml: HTTP ${response.status}`);
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  run.ms = performance.now() - began;
  return run;
}

interface RerenderStub {
  rerenderStatus(): Promise<{ running: boolean; cursor?: unknown }>;
}

interface BenchStub extends RerenderStub {
  benchLog(reset: boolean): Promise<BenchLog>;
  benchMemory(): Promise<{ recordCacheEntries: number; recordCacheBytes: number }>;
  benchIsolateMark(): Promise<unknown>;
  benchKvPutProbe(count: number, bytes: number): Promise<{ putMs: number }>;
}

/** Restart with `vars` (a new SITE_TITLE): first feed read, new title, re-render done. */
async function configChange(
  bundles: Bundles,
  persistTo: string,
  vars: Record<string, string>,
  problems: string[],
): Promise<ConfigRun> {
  const host = await start(bundles.real, persistTo, vars, true);
  const title = vars.SITE_TITLE as string;
  try {
    const began = performance.now();
    const first = await timed(`${host.base}/feed.xml`);
    const run: ConfigRun = {
      firstReadMs: first.ms,
      firstReadStatus: first.status,
      firstReadNew: first.text.includes(title),
      newTitleMs: first.text.includes(title) ? first.ms : undefined,
      rerenderMs: undefined,
      samples: [],
    };
    console.log(
      `First GET /feed.xml after the restart: ${ms(first.ms)}, HTTP ${first.status}, ${run.firstReadNew ? "already shows the new title" : "still the old title"}`,
    );
    while (run.newTitleMs === undefined && performance.now() - began < RERENDER_TIMEOUT_MS) {
      await sleep(200);
      const r = await timed(`${host.base}/feed.xml`);
      if (r.text.includes(title)) run.newTitleMs = performance.now() - began;
    }
    const stub = await host.publisher<RerenderStub>();
    let lastReport = performance.now();
    for (;;) {
      const status = plain<{ running: boolean; cursor?: unknown }>(await stub.rerenderStatus());
      if (!status.running) {
        run.rerenderMs = performance.now() - began;
        break;
      }
      run.lastCursor = status.cursor;
      if (performance.now() - began > RERENDER_TIMEOUT_MS) {
        problems.push(
          `re-render not finished after ${secs(RERENDER_TIMEOUT_MS)}; cursor ${JSON.stringify(status.cursor)}`,
        );
        break;
      }
      if (performance.now() - lastReport > 15_000) {
        console.log(
          `  re-render at ${secs(performance.now() - began)}: cursor ${JSON.stringify(status.cursor)}`,
        );
        lastReport = performance.now();
      }
      await sleep(500);
    }
    console.log(
      `/feed.xml shows the new title after ${ms(run.newTitleMs ?? Number.NaN)}; full re-render finished after ${secs(run.rerenderMs)}`,
    );
    // A sample of documents of every kind: do they carry the new title?
    const category = "politics";
    for (const path of [
      "/atom.xml",
      "/archive/1/feed.xml",
      `/categories/${category}/feed.xml`,
      `/articles/${scaleSlug(0)}`,
      "/",
    ]) {
      const r = await timed(`${host.base}${path}`);
      run.samples.push(
        `${path}: ${r.status}, ${r.text.includes(title) ? "new title" : "OLD title"} (${ms(r.ms)})`,
      );
    }
    console.log(`Samples after the re-render: ${run.samples.join("; ")}`);
    run.heapAfter = await host.heap();
    return run;
  } finally {
    await stop(host);
  }
}

/** The instrumented bundle on the same folder: KV operations and phases per commit. */
async function instrumented(
  bundles: Bundles,
  persistTo: string,
  vars: Record<string, string>,
  nextIndex: number,
  problems: string[],
): Promise<{ kv: KvRun; used: number }> {
  const token = vars.ADMIN_TOKEN as string;
  let used = 0;
  const host = await start(bundles.instrumented, persistTo, vars, true);
  const kv: KvRun = {
    isolateShared: undefined,
    targets: [],
    bulkCommits: [],
    singleCommits: [],
    alarms: [],
    alarmCommits: [],
    outside: noOps(),
    publishes: [],
    requests: [],
    rerenderDone: false,
  };
  try {
    const inspector = host.inspector;
    if (inspector) {
      kv.targets = [inspector.target.id];
      const mark = randomBytes(8).toString("hex");
      await inspector.evaluate(`globalThis.__scaleBenchMark = ${JSON.stringify(mark)}`);
      const stub = await host.publisher<BenchStub>();
      kv.isolateShared = (await stub.benchIsolateMark()) === mark;
    }
    const stub = await host.publisher<BenchStub>();
    await stub.benchLog(true);
    // Heap while the bulk requests run, sampled every 100 ms (garbage included).
    let loading = true;
    const live = { usedSize: 0, backingStorageSize: 0, samples: 0 };
    const sampling = (async () => {
      while (loading && host.inspector) {
        const h = await host.inspector.heapNow();
        live.usedSize = Math.max(live.usedSize, h.usedSize);
        live.backingStorageSize = Math.max(live.backingStorageSize, h.backingStorageSize);
        live.samples++;
        await sleep(100);
      }
    })();
    const bulk = await bulkLoad(host, token, nextIndex, 3 * BATCH, true);
    loading = false;
    await sampling;
    kv.heapPeak = live;
    used += 3 * BATCH;
    for (const f of bulk.failures) problems.push(`instrumented bulk: ${f}`);
    const afterBulk = plain<BenchLog>(await stub.benchLog(true));
    kv.bulkCommits = afterBulk.commits.filter((c) => !c.inAlarm);
    kv.publishes.push(...afterBulk.publishes);
    kv.requests.push(...afterBulk.requests);
    kv.outside = afterBulk.outside;
    const first = nextIndex + used;
    await inTurns(5, PUBLISH_GAP_MS, [(k) => publishOne(host, token, first + k, problems)]);
    used += 5;
    const afterSingle = plain<BenchLog>(await stub.benchLog(true));
    kv.singleCommits = afterSingle.commits.filter((c) => !c.inAlarm);
    kv.publishes.push(...afterSingle.publishes);
    kv.requests.push(...afterSingle.requests);
    kv.recordCache = plain(await stub.benchMemory());
    // The local KV simulator alone, doing what one bulk commit's document writes do.
    const docs = kv.bulkCommits.reduce((n, c) => n + c.documents, 0);
    const docBytes = kv.bulkCommits.reduce((n, c) => n + c.kv.docBytesWritten, 0);
    if (docs > 0) {
      const count = Math.round(docs / kv.bulkCommits.length);
      const bytes = Math.round(docBytes / docs);
      const probe = plain<{ putMs: number }>(await stub.benchKvPutProbe(count, bytes));
      kv.kvProbe = { count, bytes, ms: probe.putMs };
    }
  } finally {
    await stop(host);
  }
  // Another configuration: watch the first re-render alarms.
  const again = await start(
    bundles.instrumented,
    persistTo,
    { ...vars, SITE_TITLE: `${TITLE} (إعداد ثالث)` },
    false,
  );
  try {
    await timed(`${again.base}/feed.xml`);
    const stub = await again.publisher<BenchStub>();
    const began = performance.now();
    while (performance.now() - began < ALARM_WATCH_MS) {
      await sleep(1000);
      if (!plain<{ running: boolean }>(await stub.rerenderStatus()).running) {
        kv.rerenderDone = true;
        break;
      }
    }
    const log = plain<BenchLog>(await stub.benchLog(true));
    kv.alarms = log.alarms;
    kv.alarmCommits = log.commits.filter((c) => c.inAlarm);
  } finally {
    await stop(again);
  }
  return { kv, used };
}

/**
 * A copy of the first size's store (taken after its cold starts, before its configuration
 * changes), kept while the larger sizes run: their publish, list and cold-start figures
 * are taken in turns with the same figures on this store, in the same minutes, so that
 * the growth ratio compares catalogue sizes and not two moments of a shared machine (run
 * 20 minutes apart, the same code's figures moved by 0.76–1.77×).
 */
interface Reference {
  /** The size it was loaded with (it holds `next` articles). */
  stored: number;
  persistTo: string;
  /** Its configuration (another would start a full re-render). */
  vars: Record<string, string>;
  token: string;
  /** Index of its next new article. */
  next: number;
}
let reference: Reference | undefined;

/** The reference store's Worker, once its writer is idle. */
async function startReference(r: Reference, bundles: Bundles): Promise<Host> {
  const host = await start(bundles.real, r.persistTo, r.vars);
  await timed(`${host.base}/feed.xml`);
  await untilWriterIdle(host);
  const stub = await host.publisher<RerenderStub>();
  const began = performance.now();
  while (plain<{ running: boolean }>(await stub.rerenderStatus()).running) {
    if (performance.now() - began > RERENDER_TIMEOUT_MS)
      throw new Error("the reference store's re-render did not finish");
    await sleep(500);
  }
  return host;
}

/** One store's cold starts: where it is, and where its figures go. */
interface ColdSide {
  persistTo: string;
  vars: Record<string, string>;
  token: string;
  nextIndex: () => number;
  publishes: number[];
  lists: number[];
  startMs: number[];
}

/** A new workerd on the side's folder, then its first request; that request's latency. */
async function coldFirst(
  bundles: Bundles,
  side: ColdSide,
  request: (host: Host) => Promise<number>,
): Promise<number> {
  const host = await start(bundles.real, side.persistTo, side.vars);
  try {
    side.startMs.push(host.startMs);
    return await request(host);
  } finally {
    await stop(host);
  }
}

async function benchSize(stored: number, bundles: Bundles): Promise<SizeResult> {
  heading(`${stored.toLocaleString("en-US")} articles`);
  const result: SizeResult = {
    stored,
    load: {
      articles: 0,
      requests: 0,
      ms: 0,
      latencies: [],
      windows: [],
      generateMs: 0,
      failures: [],
    },
    publish: [],
    list: [],
    coldStartMs: [],
    coldPublish: [],
    coldList: [],
    problems: [],
  };
  const problems = result.problems;
  const token = randomBytes(24).toString("hex");
  const vars = { ADMIN_TOKEN: token };
  const persistTo = join(BENCH_TMP, `state-${stored}`);
  let next = 0; // index of the next new article
  try {
    // 1–3: load, heap, publishes, list, crawl.
    const host = await start(bundles.real, persistTo, vars, true);
    try {
      const fresh = await timed(`${host.base}/feed.xml`);
      if (fresh.status !== 200) problems.push(`fresh /feed.xml: HTTP ${fresh.status}`);
      result.heapFresh = await host.heap();
      console.log(
        `Isolate: inspector target ${host.inspector?.target.id}; used heap fresh ${mib(result.heapFresh.usedSize)}`,
      );
      console.log(
        `Loading ${stored.toLocaleString("en-US")} articles through PUT /api/articles (${BATCH} per request, ${IN_FLIGHT} in flight, KV_WRITE_INTERVAL_MS default 1000):`,
      );
      const peak = heapSampler(host);
      result.load = await bulkLoad(host, token, next, stored);
      result.load.peakHeap = await peak();
      next += stored;
      for (const f of result.load.failures.slice(0, 5)) problems.push(`load: ${f}`);
      // An import's shared feeds follow in deferred rebuilds: what follows measures a
      // newsroom's day after the import, so wait until the writer is idle.
      const settledMs = await untilWriterIdle(host);
      console.log(
        `Loaded ${result.load.articles.toLocaleString("en-US")} in ${secs(result.load.ms)}: ${num(rate(result.load))} articles/s; request p50 ${ms(median(result.load.latencies))}, p99 ${ms(percentile(result.load.latencies, 0.99))}; generating the JSON here took ${secs(result.load.generateMs)} of it`,
      );
      console.log(windowsText(result.load));
      console.log(
        `The import's deferred rebuilds were done ${secs(settledMs)} after its last response.`,
      );
      result.heapLoaded = await host.heap();
      console.log(
        `Used heap after loading: ${mib(result.heapLoaded.usedSize)} (peak sampled while loading ${mib(result.load.peakHeap)}; ArrayBuffer backing stores ${mib(result.heapLoaded.backingStorageSize)}, embedder ${mib(result.heapLoaded.embedderHeapUsedSize)})`,
      );

      // Publishes and lists, in turns with the same on the reference store if there is one.
      const refStore = reference;
      const ref = refStore ? await startReference(refStore, bundles) : undefined;
      try {
        const base = next;
        const refBase = refStore?.next ?? 0;
        const refToken = refStore?.token ?? "";
        const publishes = await inTurns(SAMPLES, PUBLISH_GAP_MS, [
          (k) => publishOne(host, token, base + k, problems),
          ...(ref ? [(k: number) => publishOne(ref, refToken, refBase + k, problems)] : []),
        ]);
        const lists = await inTurns(SAMPLES, 0, [
          () => listOne(host, token, problems),
          ...(ref ? [() => listOne(ref, refToken, problems)] : []),
        ]);
        result.publish = publishes[0] ?? [];
        result.list = lists[0] ?? [];
        next += SAMPLES;
        if (refStore && publishes[1] && lists[1]) {
          refStore.next += SAMPLES;
          result.reference = {
            stored: refStore.stored,
            held: refBase,
            publish: publishes[1],
            list: lists[1],
            coldPublish: [],
            coldList: [],
          };
        }
      } finally {
        if (ref) await stop(ref);
      }
      const alongside = (mine: number[], theirs: number[] | undefined) =>
        theirs && result.reference
          ? `; on the ${result.reference.stored.toLocaleString("en-US")} store in the same turns: p50 ${ms(median(theirs))} (ratio ${(median(mine) / median(theirs)).toFixed(2)}×)`
          : "";
      console.log(
        `Publish one article, ${SAMPLES} times ${PUBLISH_GAP_MS} ms apart: p50 ${ms(median(result.publish))}, p99 ${ms(percentile(result.publish, 0.99))}, min ${ms(Math.min(...result.publish))}${alongside(result.publish, result.reference?.publish)}`,
      );
      console.log(
        `GET /api/articles?limit=20, ${SAMPLES} times: p50 ${ms(median(result.list))}, p99 ${ms(percentile(result.list, 0.99))}${alongside(result.list, result.reference?.list)}`,
      );

      const crawlPeak = heapSampler(host, 1000);
      result.crawl = await crawl(host, next);
      result.crawl.peakHeap = await crawlPeak();
      for (const f of result.crawl.failures.slice(0, 5)) problems.push(`crawl: ${f}`);
      result.heapCrawled = await host.heap();
      console.log(
        `Crawled ${result.crawl.pages} archive pages (${num(result.crawl.bytes / 1024 / 1024)} MiB) in ${secs(result.crawl.ms)}; used heap after ${mib(result.heapCrawled.usedSize)} (peak sampled ${mib(result.crawl.peakHeap)}; ArrayBuffer backing stores ${mib(result.heapCrawled.backingStorageSize)})`,
      );
    } finally {
      await stop(host);
    }

    // 4: cold starts, in turns with cold starts of the reference store if there is one.
    const sides: ColdSide[] = [
      {
        persistTo,
        vars,
        token,
        nextIndex: () => next++,
        publishes: result.coldPublish,
        lists: result.coldList,
        startMs: result.coldStartMs,
      },
    ];
    if (reference && result.reference) {
      const r = reference;
      sides.push({
        persistTo: r.persistTo,
        vars: r.vars,
        token: r.token,
        nextIndex: () => r.next++,
        publishes: result.reference.coldPublish,
        lists: result.reference.coldList,
        startMs: [],
      });
    }
    for (let i = 0; i < COLD_STARTS; i++) {
      const order = i % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order)
        side.publishes.push(
          await coldFirst(bundles, side, (h) =>
            publishOne(h, side.token, side.nextIndex(), problems),
          ),
        );
      for (const side of order)
        side.lists.push(await coldFirst(bundles, side, (h) => listOne(h, side.token, problems)));
    }
    const refCold = result.reference
      ? `; on the ${result.reference.stored.toLocaleString("en-US")} store in the same turns: first publish ${result.reference.coldPublish.map((v) => ms(v)).join(", ")}, first admin list ${result.reference.coldList.map((v) => ms(v)).join(", ")}`
      : "";
    console.log(
      `Cold starts (${COLD_STARTS} each): first publish ${result.coldPublish.map((v) => ms(v)).join(", ")}; first admin list ${result.coldList.map((v) => ms(v)).join(", ")}; workerd start-up ${ms(median(result.coldStartMs))} (median)${refCold}`,
    );

    // The first size's store as it is now (loaded, published to, restarted, its first
    // configuration), copied as the reference of the larger sizes.
    if (reference === undefined && stored < (SIZES.at(-1) ?? 0) && problems.length === 0) {
      const copy = join(BENCH_TMP, `state-${stored}-reference`);
      rmSync(copy, { recursive: true, force: true });
      cpSync(persistTo, copy, { recursive: true });
      reference = { stored, persistTo: copy, vars, token, next };
    }

    // 5: configuration change.
    const changed = { ...vars, SITE_TITLE: `${TITLE} (إعداد جديد)` };
    result.config = await configChange(bundles, persistTo, changed, problems);

    // 6: KV operations and commit phases (instrumented bundle, same folder and settings).
    const counted = await instrumented(bundles, persistTo, changed, next, problems);
    result.kv = counted.kv;
    next += counted.used;
    console.log(
      `Instrumented bundle: inspector target ${result.kv.targets.join(", ")}; the Publisher reads the mark set there: ${result.kv.isolateShared ? "yes, the Worker and the Durable Object share this isolate" : "NO"}`,
    );
  } catch (error) {
    problems.push(`stopped: ${(error as Error).stack ?? error}`);
  }

  // 7: the same load without write pacing.
  if (UNPACED && stored <= UNPACED_MAX) {
    console.log("\nThe same load with KV_WRITE_INTERVAL_MS=0 (fresh folder):");
    const host = await start(bundles.real, join(BENCH_TMP, `state-${stored}-unpaced`), {
      ...vars,
      KV_WRITE_INTERVAL_MS: "0",
    });
    try {
      result.unpaced = await bulkLoad(host, token, 0, stored);
      for (const f of result.unpaced.failures.slice(0, 5)) problems.push(`unpaced load: ${f}`);
      console.log(
        `Loaded ${result.unpaced.articles.toLocaleString("en-US")} in ${secs(result.unpaced.ms)}: ${num(rate(result.unpaced))} articles/s; request p50 ${ms(median(result.unpaced.latencies))}`,
      );
      console.log(windowsText(result.unpaced));
    } catch (error) {
      problems.push(`unpaced load stopped: ${(error as Error).message}`);
    } finally {
      await stop(host);
    }
  }
  // Gigabytes at 100,000 articles: free the disk before the next size.
  for (const folder of [persistTo, join(BENCH_TMP, `state-${stored}-unpaced`)])
    rmSync(folder, { recursive: true, force: true });
  for (const p of problems) console.log(`PROBLEM: ${p}`);
  return result;
}

async function main(): Promise<number> {
  const began = performance.now();
  console.log("# Archive-scale benchmark (issue 11)\n");
  console.log(machineText(describeMachine()));
  console.log(
    `Sizes: ${SIZES.map((n) => n.toLocaleString("en-US")).join(", ")} articles (4–6 KB Arabic Markdown bodies, 30 categories, 50 authors), each on a fresh persist folder; ${BATCH} per bulk request, ${IN_FLIGHT} in flight; ${SAMPLES} samples; publishes ${PUBLISH_GAP_MS} ms apart`,
  );

  heading("Bundles (wrangler deploy --dry-run)");
  const real = await buildWorker(join(BENCH_TMP, "dist"), CONFIG);
  const counted = await buildWorker(
    join(BENCH_TMP, "dist-instrumented"),
    CONFIG,
    "tools/bench/scale-worker.ts",
  );
  console.log(`Worker (src/worker/index.ts): ${real.size.line}`);
  console.log(`Instrumented (tools/bench/scale-worker.ts): ${counted.size.line}`);
  const bundles: Bundles = { real: real.scriptPath, instrumented: counted.scriptPath };

  let nodeCommit: CommitCpu | undefined;
  if (NODE_PROFILE) {
    heading(`One bulk commit's work reproduced in Node (scale-cpu.ts), ${num(3000)} stored`);
    nodeCommit = await bulkCommitInNode(parseSettings(VARS).site, 3000, BATCH);
    console.log(commitCpuText(nodeCommit));
  }

  const results: SizeResult[] = [];
  for (const stored of SIZES) {
    results.push(await benchSize(stored, bundles));
    heading(`Results so far (ratio against ${SIZES[0]?.toLocaleString("en-US")} stored)`);
    console.log(sizeTable(results));
  }

  heading("Where a publish request's time goes (instrumented bundle, mean per request)");
  console.log(requestTable(results));
  heading("Commits, instrumented bundle (mean per commit, ms)");
  console.log(commitTable(results));
  for (const r of results) {
    const line = alarmText(r);
    if (line) console.log(line);
    if (r.kv?.heapPeak)
      console.log(
        `${r.stored.toLocaleString("en-US")} stored: heap during the instrumented bulk requests (${r.kv.heapPeak.samples} samples every 100 ms, garbage included): V8 used heap up to ${mib(r.kv.heapPeak.usedSize)}, ArrayBuffer backing stores up to ${mib(r.kv.heapPeak.backingStorageSize)}`,
      );
    if (r.kv?.kvProbe)
      console.log(
        `${r.stored.toLocaleString("en-US")} stored: local KV simulator alone: ${r.kv.kvProbe.count} concurrent puts of ${num(r.kv.kvProbe.bytes / 1024)} KiB (one bulk commit's documents) took ${ms(r.kv.kvProbe.ms)}`,
      );
    if (r.kv?.recordCache)
      console.log(
        `${r.stored.toLocaleString("en-US")} stored: the Publisher's record cache held ${r.kv.recordCache.recordCacheEntries} records, ${mib(r.kv.recordCache.recordCacheBytes)} (its own estimate) after the instrumented publishes`,
      );
  }

  heading("Targets");
  const targets = targetsTable(results);
  console.log(targets.text);
  const bulk = results.flatMap((r) => r.kv?.bulkCommits ?? []);
  if (bulk.length) {
    const docs = bulk.reduce((n, c) => n + c.documents, 0) / bulk.length;
    console.log(
      `\nWhat holds the bulk rate: a bulk commit's KV writes are its documents (${num(docs)} on average: article pages; the shared feeds, archive pages and sitemaps wait for the deferred rebuild), records go to SQLite; all of it, the checks and the Worker's parsing share one workerd thread here.`,
    );
  }
  if (nodeCommit)
    console.log(
      `Publisher CPU of one bulk request with its shared documents rendered at once (Node reproduction above, KV free; an import defers those): ${ms(publisherCpuPerBulk(nodeCommit))}.`,
    );
  if (reference) rmSync(reference.persistTo, { recursive: true, force: true });
  const problems = results.flatMap((r) => r.problems.map((p) => `${r.stored}: ${p}`));
  if (problems.length) console.log(`\nPROBLEMS:\n  ${problems.join("\n  ")}`);
  console.log(`\nTotal bench time: ${secs(performance.now() - began)}`);
  return targets.misses > 0 || problems.length > 0 ? 1 : 0;
}

try {
  process.exitCode = await main();
} finally {
  await Promise.allSettled([...running].map(stop));
}
