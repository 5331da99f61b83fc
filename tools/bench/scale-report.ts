/**
 * Presentation of the archive-scale benchmark (scale.ts): per-size tables with the ratio
 * against the first (smallest, normally 1,000) size beside each figure, the instrumented
 * commit breakdown, and the targets with PASS/MISS. No measuring happens here.
 */
import type { HeapUsage } from "./inspector.ts";
import { ms, num, table } from "./report.ts";
import type { CommitCpu } from "./scale-cpu.ts";
import {
  type AlarmLog,
  type CommitLog,
  type KvOps,
  kvOpsOf,
  type PublishLog,
  type RequestLog,
} from "./scale-log.ts";

/** The targets of issue 11. */
export const SCALE_TARGETS = {
  /** publish p50, admin list p50, cold first publish: largest size ≤ this × first size. */
  maxGrowth: 1.2,
  maxHeapMiB: 64,
  minBulkRate: 300,
  /** 10,000 articles in under 35 s. */
  tenThousandS: 35,
  /** 100,000 articles in under 10 minutes. */
  hundredThousandS: 600,
  maxKvOpsPerInvocation: 1000,
} as const;

export interface LoadRun {
  articles: number;
  requests: number;
  ms: number;
  /** Per request (200 articles), ms. */
  latencies: number[];
  /** Cumulative articles and time at each tenth, for the rate while the store grows. */
  windows: { articles: number; ms: number }[];
  /** Time spent generating article JSON in this process (inside `ms`). */
  generateMs: number;
  failures: string[];
  /** V8 used heap, highest sample while loading (garbage included). */
  peakHeap?: number;
}

export interface CrawlRun {
  pages: number;
  expectedPages: number;
  ms: number;
  bytes: number;
  failures: string[];
  peakHeap?: number;
}

export interface ConfigRun {
  firstReadMs: number;
  firstReadStatus: number;
  firstReadNew: boolean;
  newTitleMs: number | undefined;
  rerenderMs: number | undefined;
  /** Cursor seen at the last poll, if the re-render did not finish. */
  lastCursor?: unknown;
  samples: string[];
  heapAfter?: HeapUsage;
}

export interface KvRun {
  isolateShared: boolean | undefined;
  targets: string[];
  bulkCommits: CommitLog[];
  singleCommits: CommitLog[];
  alarms: AlarmLog[];
  alarmCommits: CommitLog[];
  outside: KvOps;
  publishes: PublishLog[];
  requests: RequestLog[];
  recordCache?: { recordCacheEntries: number; recordCacheBytes: number };
  rerenderDone: boolean;
  /** Heap sampled every 100 ms while the bulk requests ran (garbage included): the highest. */
  heapPeak?: { usedSize: number; backingStorageSize: number; samples: number };
  /** The local KV simulator alone: concurrent puts like one bulk commit's documents. */
  kvProbe?: { count: number; bytes: number; ms: number };
}

export interface SizeResult {
  stored: number;
  load: LoadRun;
  unpaced?: LoadRun;
  heapFresh?: HeapUsage;
  heapLoaded?: HeapUsage;
  heapCrawled?: HeapUsage;
  crawl?: CrawlRun;
  publish: number[];
  list: number[];
  coldStartMs: number[];
  coldPublish: number[];
  coldList: number[];
  config?: ConfigRun;
  kv?: KvRun;
  /** The same publishes, lists and cold starts on the first size's store, taken in turns. */
  reference?: ReferenceRun;
  problems: string[];
}

/** The figures taken on both stores in turns, named alike in SizeResult and ReferenceRun. */
export type PairedFigure = "publish" | "list" | "coldPublish" | "coldList";

export interface ReferenceRun {
  /** The size it was loaded with. */
  stored: number;
  /** Articles it held when these figures were taken (it gains the ones published to it). */
  held: number;
  publish: number[];
  list: number[];
  coldPublish: number[];
  coldList: number[];
}

// ---- small helpers ----------------------------------------------------------

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
  ] as number;
}

export const median = (values: number[]) => percentile(values, 0.5);
const mean = (values: number[]) =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
const max = (values: number[]) => (values.length ? Math.max(...values) : Number.NaN);
export const mib = (bytes: number | undefined) =>
  bytes === undefined ? "n/a" : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
export const rate = (run: LoadRun | undefined) =>
  run && run.ms > 0 ? (run.articles / run.ms) * 1000 : Number.NaN;
export const secs = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? "n/a" : `${(value / 1000).toFixed(1)} s`;

/** "value (ratio×)" against the first size's value. */
function withRatio(value: number, first: number, format: (v: number) => string): string {
  if (!Number.isFinite(value)) return "n/a";
  if (!Number.isFinite(first) || first === 0) return format(value);
  return `${format(value)} (${(value / first).toFixed(2)}×)`;
}

const perSecond = (v: number) => `${num(v)}/s`;

// ---- during the run ---------------------------------------------------------

export function progressLine(
  done: number,
  total: number,
  elapsedMs: number,
  windowRate: number | undefined,
) {
  const window =
    windowRate === undefined
      ? "answered together with the previous line"
      : `${num(windowRate)}/s since the previous line`;
  return `  ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} in ${secs(elapsedMs)}: ${num((done / elapsedMs) * 1000)}/s overall, ${window}`;
}

/** Articles per second between two progress points; undefined if they came together. */
export function windowRate(
  from: { articles: number; ms: number },
  to: { articles: number; ms: number },
): number | undefined {
  return to.ms - from.ms < 100
    ? undefined
    : ((to.articles - from.articles) / (to.ms - from.ms)) * 1000;
}

/** The rate per tenth of a load (the store growing from 0 to n). */
export function windowsText(run: LoadRun): string {
  let previous = { articles: 0, ms: 0 };
  const cells = run.windows.map((w) => {
    const r = windowRate(previous, w);
    previous = w;
    return r === undefined ? "(with the previous)" : num(r);
  });
  return `articles/s between progress lines (the store growing): ${cells.join(", ")}`;
}

// ---- per-size table ---------------------------------------------------------

export function sizeTable(results: SizeResult[]): string {
  const first = results[0];
  if (!first) return "(no results)";
  const header = ["measure", ...results.map((r) => `${r.stored.toLocaleString("en-US")} stored`)];
  const row = (
    name: string,
    pick: (r: SizeResult) => number | undefined,
    format: (v: number) => string,
    ratio = true,
  ) => [
    name,
    ...results.map((r) => {
      const v = pick(r);
      if (v === undefined || !Number.isFinite(v)) return "n/a";
      return ratio ? withRatio(v, pick(first) ?? Number.NaN, format) : format(v);
    }),
  ];
  const heap = (h: HeapUsage | undefined) => h?.usedSize;
  // The figure above measured on the first size's store in the same turns, and the ratio.
  const paired = (figure: PairedFigure) => [
    `  in turns with the ${first.stored.toLocaleString("en-US")} store: its figure (ratio)`,
    ...results.map((r) => {
      if (!r.reference) return "";
      const theirs = median(r.reference[figure]);
      return `${ms(theirs)} (${(median(r[figure]) / theirs).toFixed(2)}×)`;
    }),
  ];
  const rows = [
    row(
      "bulk load, KV_WRITE_INTERVAL_MS=1000 (default): articles/s",
      (r) => rate(r.load),
      perSecond,
    ),
    row("  total load time", (r) => r.load.ms, secs),
    row("  p50 / request of 200 (4 in flight)", (r) => median(r.load.latencies), ms),
    row("bulk load, KV_WRITE_INTERVAL_MS=0: articles/s", (r) => rate(r.unpaced), perSecond),
    row("  total load time", (r) => r.unpaced?.ms, secs),
    row("publish one article (PUT /api/articles/:slug), p50", (r) => median(r.publish), ms),
    paired("publish"),
    row("  p99", (r) => percentile(r.publish, 0.99), ms),
    row("GET /api/articles?limit=20, p50", (r) => median(r.list), ms),
    paired("list"),
    row("  p99", (r) => percentile(r.list, 0.99), ms),
    row("cold start: first publish (median of restarts)", (r) => median(r.coldPublish), ms),
    paired("coldPublish"),
    row("cold start: first admin list (median)", (r) => median(r.coldList), ms),
    paired("coldList"),
    row("  workerd start-up (Miniflare ready, median)", (r) => median(r.coldStartMs), ms),
    row("new SITE_TITLE: first GET /feed.xml", (r) => r.config?.firstReadMs, ms),
    row("  /feed.xml shows the new title after", (r) => r.config?.newTitleMs, ms),
    row("  full re-render finished after", (r) => r.config?.rerenderMs, secs),
    row("V8 used heap, fresh (first feed read)", (r) => heap(r.heapFresh), mib),
    row("V8 used heap after loading (after GC)", (r) => heap(r.heapLoaded), mib),
    row("  peak while loading (sampled, garbage included)", (r) => r.load.peakHeap, mib),
    row(
      "V8 used heap after crawling every archive page (after GC)",
      (r) => heap(r.heapCrawled),
      mib,
    ),
    row("  peak while crawling (sampled)", (r) => r.crawl?.peakHeap, mib),
    row("  ArrayBuffer backing stores after crawl", (r) => r.heapCrawled?.backingStorageSize, mib),
    row("V8 used heap after the full re-render (after GC)", (r) => heap(r.config?.heapAfter), mib),
    row("archive crawl: pages (GET /archive/k/feed.xml)", (r) => r.crawl?.pages, num, false),
    row("  crawl time (4 in flight)", (r) => r.crawl?.ms, secs),
    row(
      "KV ops, most in one bulk commit (200 articles)",
      (r) => max((r.kv?.bulkCommits ?? []).map((c) => kvOpsOf(c.kv))),
      num,
    ),
    row(
      "KV ops, most in one single-article commit",
      (r) => max((r.kv?.singleCommits ?? []).map((c) => kvOpsOf(c.kv))),
      num,
    ),
    row(
      "KV ops, most in one re-render alarm invocation",
      (r) => max((r.kv?.alarms ?? []).map((a) => kvOpsOf(a.kv))),
      num,
    ),
  ];
  return table(header, rows);
}

// ---- instrumented commits ---------------------------------------------------

function commitRow(name: string, commits: CommitLog[]): string[] {
  const phase = (p: string) => mean(commits.map((c) => c.phases[p] ?? 0));
  const rebuild = phase("rebuild (all)");
  const store = phase("store documents (all)");
  const paceDocs = phase("pacer wait (documents)");
  const render = rebuild - store - phase("read records") - phase("prepare records");
  return [
    name,
    String(commits.length),
    `${num(mean(commits.map((c) => c.records)))} / ${num(mean(commits.map((c) => c.documents)))}`,
    `${num(max(commits.map((c) => kvOpsOf(c.kv))))} (${num(max(commits.map((c) => c.kv.writes)))} w, ${num(max(commits.map((c) => c.kv.reads)))} r of ${num(max(commits.map((c) => c.kv.keysRead)))} keys)`,
    mib(mean(commits.map((c) => c.kv.bytesWritten))),
    mib(max(commits.map((c) => 2 * c.heldDocChars))),
    ms(mean(commits.map((c) => c.ms))),
    ms(phase("pacer wait (records)") + paceDocs),
    ms(phase("write records")),
    ms(phase("catalogue SQL")),
    ms(phase("read records")),
    ms(phase("prepare records")),
    ms(render),
    ms(store - paceDocs),
  ];
}

/** Per size: the instrumented bundle's commits, mean per commit. */
export function commitTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    if (!r.kv) continue;
    const n = r.stored.toLocaleString("en-US");
    if (r.kv.bulkCommits.length) rows.push(commitRow(`${n}: bulk (200)`, r.kv.bulkCommits));
    if (r.kv.singleCommits.length) rows.push(commitRow(`${n}: single`, r.kv.singleCommits));
    if (r.kv.alarmCommits.length) rows.push(commitRow(`${n}: re-render batch`, r.kv.alarmCommits));
  }
  return table(
    [
      "store: commit",
      "commits",
      "records / docs (mean)",
      "KV ops, most (writes, reads of keys)",
      "KV bytes written",
      "doc strings one store() call held (2 B/char), most",
      "commit wall",
      "pacer wait",
      "write records",
      "catalogue SQL",
      "read records (KV)",
      "prepare (Markdown, sanitise)",
      "plan + render",
      "store docs (hash, KV put)",
    ],
    rows,
  );
}

/** Per size: where a publish request's time went (instrumented bundle, mean per request). */
export function requestTable(results: SizeResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    if (!r.kv) continue;
    const n = r.stored.toLocaleString("en-US");
    for (const [name, items] of [
      ["bulk (200)", (p: PublishLog) => p.items > 1],
      ["single", (p: PublishLog) => p.items === 1],
    ] as const) {
      const publishes = r.kv.publishes.filter(items);
      const requests = r.kv.requests.filter(
        (q) => q.method === "PUT" && (name === "single") === q.path.startsWith("/api/articles/"),
      );
      if (!publishes.length) continue;
      rows.push([
        `${n}: ${name}`,
        String(requests.length),
        ms(mean(requests.map((q) => q.ms))),
        ms(mean(requests.map((q) => q.ms - q.publisherMs))),
        ms(mean(requests.map((q) => q.publisherMs))),
        ms(mean(publishes.map((p) => p.queuedMs))),
        ms(mean(publishes.map((p) => p.checksMs))),
        ms(mean(publishes.map((p) => p.commitWaitMs))),
      ]);
    }
  }
  return table(
    [
      "store: request",
      "requests",
      "Worker handler",
      "Worker's own (parse, validate, and waiting for the shared isolate)",
      "waiting on Publisher",
      "Publisher: queued behind earlier checks",
      "checks (digest, Markdown, pre-renders)",
      "wait for commit(s)",
    ],
    rows,
  );
}

export function alarmText(r: SizeResult): string {
  const alarms = r.kv?.alarms ?? [];
  if (!alarms.length) return "";
  return `${r.stored.toLocaleString("en-US")} stored: ${alarms.length} re-render alarm invocation(s) observed${r.kv?.rerenderDone ? " (re-render finished)" : ""}; per invocation mean ${ms(mean(alarms.map((a) => a.ms)))}, ${num(mean(alarms.map((a) => a.documents)))} documents, most KV ops ${num(max(alarms.map((a) => kvOpsOf(a.kv))))}`;
}

// ---- the Node reproduction ----------------------------------------------------

/** The Publisher's CPU for one bulk request (no KV), and the rate that alone allows. */
export function publisherCpuPerBulk(c: CommitCpu): number {
  return c.publisherChecksMs * c.batch + c.renderMs + c.encodeAndHashMs;
}

export function commitCpuText(c: CommitCpu): string {
  const perBulk = publisherCpuPerBulk(c);
  return [
    table(
      ["step", "cost"],
      [
        ["Worker: validateArticle + checkBody, per article", ms(c.workerValidateMs)],
        [
          "Publisher checks: articleDigest + prepareRecord (the Worker's HTML) + publishProblems, per article",
          ms(c.publisherChecksMs),
        ],
        ["prepareRecord alone (Markdown, sanitise), per record", ms(c.prepareMs)],
        [`render the commit: ${c.targets} targets, ${c.documents} documents`, ms(c.renderMs)],
        [`UTF-8 encode + SHA-256 of them (${mib(c.documentBytes)})`, ms(c.encodeAndHashMs)],
        [
          "held at once by store(): JS strings / encoded bytes (growth after a full GC)",
          `${mib(c.heldHeapBytes)} / ${mib(c.heldArrayBufferBytes)}`,
        ],
        [
          `Publisher CPU per bulk request of ${c.batch} if its shared documents were rendered with it (checks + render + encode/hash), KV excluded; an import defers them`,
          ms(perBulk),
        ],
      ],
    ),
    `KV written per bulk commit: ${mib(c.documentBytes)} of documents for ${c.batch} articles (${num(c.documentBytes / c.batch / 1024)} KiB of documents per article).`,
  ].join("\n");
}

// ---- targets ----------------------------------------------------------------

export function targetsTable(results: SizeResult[]): { text: string; misses: number } {
  const first = results[0];
  const last = results[results.length - 1];
  const rows: string[][] = [];
  let misses = 0;
  const verdict = (ok: boolean | undefined) => {
    if (ok === undefined) return "n/a";
    if (!ok) misses++;
    return ok ? "PASS" : "MISS";
  };
  if (!first || !last) return { text: "(no results)", misses: 1 };
  const sizes = `${first.stored.toLocaleString("en-US")} → ${last.stored.toLocaleString("en-US")}`;
  // Judged on the figures taken in turns with the first size's store (the same minutes);
  // the sequential ratio (the first size's own run, minutes earlier) is shown beside it.
  const growth = (name: string, figure: PairedFigure) => {
    const a = median(first[figure]);
    const b = median(last[figure]);
    const sequential = `${ms(a)} → ${ms(b)} (${(b / a).toFixed(2)}×, ${sizes}, one after the other)`;
    const ref = last.reference;
    const theirs = ref ? median(ref[figure]) : a;
    const ratio = b / theirs;
    rows.push([
      name,
      `≤ ${SCALE_TARGETS.maxGrowth}× from ${first.stored.toLocaleString("en-US")}`,
      ref
        ? `${ms(b)} at ${last.stored.toLocaleString("en-US")} against ${ms(theirs)} at ${ref.stored.toLocaleString("en-US")} (${ref.held.toLocaleString("en-US")} by then) in the same turns (${ratio.toFixed(2)}×); ${sequential}`
        : sequential,
      results.length < 2
        ? "n/a (one size)"
        : verdict(Number.isFinite(ratio) ? ratio <= SCALE_TARGETS.maxGrowth : undefined),
    ]);
  };
  growth("publish one article, p50", "publish");
  growth("GET /api/articles?limit=20, p50", "list");
  growth("cold start, first publish (median)", "coldPublish");
  const heaps = results.flatMap((r) => [
    [r, "after loading", r.heapLoaded] as const,
    [r, "after the crawl", r.heapCrawled] as const,
  ]);
  const worst = heaps.reduce<number>((m, [, , h]) => Math.max(m, h?.usedSize ?? Number.NaN), 0);
  rows.push([
    "V8 used heap after loading and after the crawl, every size",
    `≤ ${SCALE_TARGETS.maxHeapMiB} MiB`,
    heaps
      .map(([r, when, h]) => `${r.stored.toLocaleString("en-US")} ${when}: ${mib(h?.usedSize)}`)
      .join("; "),
    verdict(
      heaps.every(([, , h]) => h) ? worst <= SCALE_TARGETS.maxHeapMiB * 1024 * 1024 : undefined,
    ),
  ]);
  // The issue gives the rate with its measure, "10,000 articles in under 35 s", and
  // 100,000 a limit of their own (10 minutes, 167/s); a 1,000 load lasts 2–4 s, mostly
  // start-up and the deferred rebuild. So the rate is judged at 10,000.
  const rated = results.find((r) => r.stored === 10_000);
  rows.push([
    "bulk load rate, KV_WRITE_INTERVAL_MS=1000 (production default), 10,000 stored",
    `≥ ${SCALE_TARGETS.minBulkRate} articles/s`,
    results.map((r) => `${r.stored.toLocaleString("en-US")}: ${num(rate(r.load))}/s`).join("; "),
    rated ? verdict(rate(rated.load) >= SCALE_TARGETS.minBulkRate) : "n/a",
  ]);
  const ten = results.find((r) => r.stored === 10_000);
  rows.push([
    "10,000 articles loaded (production pacing)",
    `< ${SCALE_TARGETS.tenThousandS} s`,
    ten ? secs(ten.load.ms) : "not run",
    ten ? verdict(ten.load.ms < SCALE_TARGETS.tenThousandS * 1000) : "n/a",
  ]);
  const hundred = results.find((r) => r.stored === 100_000);
  rows.push([
    "100,000 articles loaded (production pacing)",
    `< ${SCALE_TARGETS.hundredThousandS / 60} min`,
    hundred ? secs(hundred.load.ms) : "not run",
    hundred ? verdict(hundred.load.ms < SCALE_TARGETS.hundredThousandS * 1000) : "n/a",
  ]);
  const ops = results.flatMap((r) => [
    ...(r.kv?.bulkCommits ?? []).map((c) => kvOpsOf(c.kv)),
    ...(r.kv?.singleCommits ?? []).map((c) => kvOpsOf(c.kv)),
    ...(r.kv?.alarms ?? []).map((a) => kvOpsOf(a.kv)),
  ]);
  rows.push([
    "KV operations per invocation (most in one commit or re-render alarm)",
    `< ${SCALE_TARGETS.maxKvOpsPerInvocation}`,
    ops.length ? `${num(max(ops))} (of ${ops.length} commits/alarms counted)` : "not counted",
    ops.length ? verdict(max(ops) < SCALE_TARGETS.maxKvOpsPerInvocation) : "n/a",
  ]);
  return { text: table(["target", "limit", "measured", "result"], rows), misses };
}
