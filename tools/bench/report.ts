/**
 * Presentation: the per-section tables printed as the benchmark runs, and the final
 * Markdown summary with targets and PASS/MISS. Tables are Markdown throughout, padded so
 * they also read well in a terminal, and can be pasted into the README as they are.
 * No measuring happens here.
 */
import type { BundleSize } from "./bundle.ts";
import type { FloodFigures } from "./flood.ts";
import type { CpuRow } from "./handler-cpu.ts";
import type { TargetResult } from "./http-bench.ts";
import type { ReadCount } from "./kv-reads.ts";
import type { Machine } from "./machine.ts";
import type { RenderResult } from "./render-bench.ts";
import type { LoadResult } from "./workers.ts";

/** The issue's targets (#4). */
export const TARGETS = {
  /** feed / ours, 50 full-text items, all three formats from one document. */
  renderSpeedup: 2,
  maxKvReadsPerRequest: 1,
  maxBundleGzipKiB: 60,
  /**
   * ours/baseline req/s for every read route (full feeds, pages, 304s) at every stored
   * count (issue #12: no needless hop on the read path).
   */
  minReadThroughput: 0.9,
  /** Publish latency while random unknown paths flood the Worker, against quiet. */
  maxFloodRatio: 1.2,
  /** The free plan's CPU limit per request, in ms. */
  freePlanCpuMs: 10,
} as const;

export interface SizeRun {
  stored: number;
  load: LoadResult;
  /**
   * Publish latency under a flood of unknown paths answered by the writer's own workerd
   * (measured at the largest size; not judged: the flood then shares the writer's thread).
   */
  flood?: FloodFigures;
  /** The same, the flood served by a second workerd on the same KV (as edge isolates would): judged. */
  floodEdge?: FloodFigures;
  http: TargetResult[];
  cpu: CpuRow[];
  reads: ReadCount[];
  /** Failures that stopped part of this size's run. */
  problems: string[];
}

export interface BenchReport {
  machine: Machine;
  settings: { durationS: number; rounds: number; connections: number; feedSize: number };
  bundle: BundleSize | string;
  /** By number of items in the rendered feed. */
  render: Map<number, RenderResult>;
  sizes: SizeRun[];
}

// ---- formatting -------------------------------------------------------------

/** Three significant digits, without exponent notation. */
export function num(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (value >= 100) return Math.round(value).toLocaleString("en-US");
  return value.toPrecision(3);
}

export const ms = (value: number) => `${num(value)} ms`;
export const times = (value: number) => `${num(value)}×`;
const kib = (bytes: number) => `${num(bytes / 1024)} KiB`;
const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

/** A Markdown table with padded columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

// ---- sections ---------------------------------------------------------------

export function machineText(m: Machine): string {
  const versions = Object.entries(m.versions)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return [
    `Machine: ${m.cpu}, ${m.cores} cores, ${num(m.memoryGiB)} GiB RAM, ${m.os}`,
    `Node ${m.node}; ${versions}`,
    `Load average at start: ${m.load.toFixed(2)}${m.load > 0.5 ? " (other work was running: figures are noisier)" : ""}`,
  ].join("\n");
}

export function renderText(r: RenderResult): string {
  const rows = r.rows.map((row) => [
    row.format === "all" ? "all three" : row.format.toUpperCase(),
    ms(row.ours.msPerOp),
    `${ms(row.ours.minMs)}–${ms(row.ours.maxMs)}`,
    ms(row.feed.msPerOp),
    `${ms(row.feed.minMs)}–${ms(row.feed.maxMs)}`,
    times(row.ratio),
    `${kib(row.oursBytes)} / ${kib(row.feedBytes)}`,
  ]);
  return [
    table(
      [
        "format",
        "ours ms/op",
        "ours rounds",
        "feed ms/op",
        "feed rounds",
        "feed/ours",
        "output ours / feed",
      ],
      rows,
    ),
    `Hot spots, all ${r.items} item(s) (inside the figures above): escapeXml(contentHtml) ${ms(r.escapeContent.msPerOp)} ` +
      `per XML format, stripXmlForbidden(contentHtml) ${ms(r.stripContent.msPerOp)} (alone, and inside escapeXml).`,
    `toFeedEntry for ${r.items} item(s), not in the ratio (the Publisher repeats it per rebuild; body HTML is cached): ${ms(r.entries.msPerOp)}`,
  ].join("\n");
}

export function httpText(results: TargetResult[]): string {
  const statuses = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([code, n]) => `${code}×${n}`)
      .join(" ");
  const rows = results.map((r) => [
    r.target.name,
    `${r.probe.status} ${kib(r.probe.bytes)}`,
    num(r.ours.rps),
    ms(r.ours.p50),
    ms(r.ours.p99),
    num(r.baseline.rps),
    ms(r.baseline.p50),
    ms(r.baseline.p99),
    `${times(r.ratio)} (${num(r.ratioMin)}–${num(r.ratioMax)})`,
    `${statuses(r.ours.statuses)}; err ${r.ours.errors}, t/o ${r.ours.timeouts}`,
  ]);
  return table(
    [
      "target",
      "response",
      "ours req/s",
      "p50",
      "p99",
      "baseline req/s",
      "p50",
      "p99",
      "ours/baseline (rounds)",
      "ours: statuses; errors",
    ],
    rows,
  );
}

export function cpuText(rows: CpuRow[]): string {
  return table(
    [
      "route",
      "status",
      "from isolate memory",
      "rounds",
      "with a KV read",
      "rounds",
      "of which Node's new Response(body)",
    ],
    rows.map((r) => [
      r.target.name,
      String(r.status),
      ms(r.memory.msPerOp),
      `${ms(r.memory.minMs)}–${ms(r.memory.maxMs)}`,
      ms(r.kvRead.msPerOp),
      `${ms(r.kvRead.minMs)}–${ms(r.kvRead.maxMs)}`,
      ms(r.responseOnly.msPerOp),
    ]),
  );
}

export function readsText(counts: ReadCount[]): string {
  return table(
    ["route", "requests", "KV reads/request (min–max, mean)", "Publisher calls", "status"],
    counts.map((c) => [
      c.target.name,
      String(c.requests),
      `${c.minReads}–${c.maxReads}, ${num(c.meanReads)}`,
      String(c.doCalls),
      c.unexpected.length ? `unexpected: ${c.unexpected.join(",")}` : `all ${c.target.expect}`,
    ]),
  );
}

/** Every failure of every HTTP run against our Worker, or the all-clear line. */
export function soakVerdict(sizes: SizeRun[]): { ok: boolean; text: string } {
  const failures: string[] = [];
  for (const size of sizes) {
    for (const p of size.problems) failures.push(`${size.stored} stored: ${p}`);
    for (const r of size.http) {
      const { errors, timeouts, unexpected, statuses, firstUnexpected } = r.ours;
      if (errors || timeouts || unexpected) {
        failures.push(
          `${size.stored} stored, ${r.target.name}: errors ${errors}, timeouts ${timeouts}, ` +
            `unexpected statuses ${unexpected} (${JSON.stringify(statuses)})` +
            (firstUnexpected ? `; the first: ${JSON.stringify(firstUnexpected)}` : ""),
        );
      }
    }
  }
  return failures.length
    ? { ok: false, text: `FAILURES:\n  ${failures.join("\n  ")}` }
    : { ok: true, text: "errors: 0, statuses: 200/304 only" };
}

// ---- summary ----------------------------------------------------------------

export function summaryMarkdown(report: BenchReport): string {
  const { sizes, settings } = report;
  const stored = sizes.map((s) => s.stored);
  const header = ["measure", "target", ...stored.map((n) => `${n} stored`), "result"];
  const rows: string[][] = [];
  const itemsFor = (n: number) => Math.min(n, settings.feedSize);

  // Render: per format, the feed holds min(stored, FEED_SIZE) items.
  for (const format of ["rss", "atom", "json", "all"] as const) {
    const cells = stored.map((n) => {
      if (n > settings.feedSize && stored.includes(settings.feedSize))
        return `as ${settings.feedSize} stored (same ${settings.feedSize}-item feed)`;
      const row = report.render.get(itemsFor(n))?.rows.find((r) => r.format === format);
      return row
        ? `${ms(row.ours.msPerOp)} vs feed ${ms(row.feed.msPerOp)} (${times(row.ratio)})`
        : "n/a";
    });
    const full = report.render.get(settings.feedSize)?.rows.find((r) => r.format === format);
    const name = format === "all" ? "all three formats" : format.toUpperCase();
    rows.push(
      format === "all"
        ? [
            `render ${name}, ours vs \`feed\` (feed/ours)`,
            `≥ ${TARGETS.renderSpeedup}× at ${settings.feedSize} items`,
            ...cells,
            full ? verdict(full.ratio >= TARGETS.renderSpeedup) : "n/a",
          ]
        : [`render ${name}, ours vs \`feed\` (feed/ours)`, "—", ...cells, "info"],
    );
  }

  rows.push([
    "load through PUT /api/articles (bulk), mean per article",
    "—",
    ...sizes.map((s) =>
      s.load.loaded ? `${ms(s.load.ms / s.load.loaded)} (${s.load.loaded} loaded)` : "n/a",
    ),
    "info",
  ]);
  const floodRow = (
    label: string,
    of: (s: SizeRun) => FloodFigures | undefined,
    judged: boolean,
  ) => {
    const flooded = sizes.filter((s) => of(s));
    if (flooded.length === 0) return;
    const met = flooded.every((s) => {
      const f = of(s) as FloodFigures;
      return (
        f.ratio <= TARGETS.maxFloodRatio &&
        Object.keys(f.floodStatuses).every((code) => code === "404")
      );
    });
    rows.push([
      label,
      judged ? `≤ ${TARGETS.maxFloodRatio}×` : "—",
      ...sizes.map((s) => {
        const f = of(s);
        return f
          ? `${ms(f.floodP50Ms)} vs ${ms(f.quietP50Ms)}, ${times(f.ratio)} (median of ${f.pairs} pairs), flood ${num(f.floodRps)} req/s, statuses ${JSON.stringify(f.floodStatuses)}; ${f.cpus}`
          : "";
      }),
      judged ? verdict(met) : "info",
    ]);
  };
  // Judged where the flood is served as in production: not by the writer's own isolate.
  floodRow(
    "publish p50 while 50 connections request random unknown paths (flooded/quiet), the flood served by a second workerd on the same KV (the edge)",
    (s) => s.floodEdge,
    true,
  );
  floodRow(
    "the same, the flood answered on the writer's own workerd thread (one thread shared: information)",
    (s) => s.flood,
    false,
  );

  // HTTP and KV reads, per route.
  const routes = sizes[0]?.http.map((r) => r.target.name) ?? [];
  for (const route of routes) {
    const results = sizes.map((s) => s.http.find((h) => h.target.name === route));
    const minimum = TARGETS.minReadThroughput;
    const verdicts = results.map((r) => !!r && r.ratio >= minimum);
    rows.push([
      `${route}: req/s, p50/p99 (ours/baseline req/s, median of rounds)`,
      `≥ ${minimum}× baseline`,
      ...results.map((r) =>
        r
          ? `${num(r.ours.rps)}/s, ${num(r.ours.p50)}/${num(r.ours.p99)} ms (${times(r.ratio)})`
          : "n/a",
      ),
      verdicts.length ? verdict(verdicts.every(Boolean)) : "info",
    ]);
  }
  const slowest = sizes.map((s) =>
    s.cpu.reduce<CpuRow | undefined>(
      (worst, r) => (!worst || r.kvRead.msPerOp > worst.kvRead.msPerOp ? r : worst),
      undefined,
    ),
  );
  rows.push([
    "CPU per request, slowest route, with its KV read (read handler in Node's V8)",
    `< ${TARGETS.freePlanCpuMs} ms (free plan)`,
    ...slowest.map((r) => (r ? `${ms(r.kvRead.msPerOp)} (${r.target.name})` : "n/a")),
    slowest.some((r) => r)
      ? verdict(slowest.every((r) => !r || r.kvRead.msPerOp < TARGETS.freePlanCpuMs))
      : "n/a",
  ]);

  const readRoutes = sizes[0]?.reads.map((c) => c.target.name) ?? [];
  for (const route of readRoutes) {
    const counts = sizes.map((s) => s.reads.find((c) => c.target.name === route));
    const ok = counts.every((c) => c && c.maxReads <= TARGETS.maxKvReadsPerRequest);
    rows.push([
      `KV reads per request, ${route}`,
      `≤ ${TARGETS.maxKvReadsPerRequest}`,
      ...counts.map((c) =>
        c ? `${c.maxReads}${c.doCalls ? ` (+${c.doCalls} Publisher calls)` : ""}` : "n/a",
      ),
      verdict(ok),
    ]);
  }

  const soak = soakVerdict(sizes);
  rows.push([
    `errors and statuses (${settings.rounds} × ${settings.durationS} s at ${settings.connections} connections per target)`,
    "0 errors, 200/304 only",
    ...sizes.map((s) => {
      const bad = s.http.reduce(
        (n, r) => n + r.ours.errors + r.ours.timeouts + r.ours.unexpected,
        0,
      );
      const total = s.http.reduce((n, r) => n + r.ours.completed, 0);
      return `${bad} bad of ${total.toLocaleString("en-US")}${s.problems.length ? `; ${s.problems.length} problem(s)` : ""}`;
    }),
    verdict(soak.ok),
  ]);

  const bundle = report.bundle;
  rows.push([
    "Worker bundle, gzip (wrangler deploy --dry-run)",
    `≤ ${TARGETS.maxBundleGzipKiB} KiB`,
    ...stored.map((_, i) =>
      i === 0
        ? typeof bundle === "string"
          ? "failed"
          : `${num(bundle.gzipKiB)} KiB (${num(bundle.totalKiB)} KiB raw)`
        : "",
    ),
    typeof bundle === "string" ? "MISS" : verdict(bundle.gzipKiB <= TARGETS.maxBundleGzipKiB),
  ]);

  const m = report.machine;
  return [
    `Measured on ${m.cpu}, ${m.cores} cores, Node ${m.node}, wrangler ${m.versions.wrangler} ` +
      `(workerd ${m.versions.workerd}), load generator autocannon on the same machine.`,
    "",
    table(header, rows),
    "",
    "Render: median ms per call of buildScopeFeed + renderer(s) against `feed` 6.0.0 doing the same " +
      "items and fields (feed/ours > 1: ours is faster). HTTP: the deployable bundle in workerd " +
      `(Miniflare, local KV simulator), ${settings.connections} connections, ${settings.rounds} run(s) of ` +
      `${settings.durationS} s per side, ours and baseline alternating, uncompressed; ours/baseline is the ` +
      "median of the runs' req/s ratios against a Worker answering with the very status, headers and " +
      "bytes ours sent. " +
      "Our one KV read goes through Miniflare's local KV simulator (SQLite and files), much slower " +
      "than production KV's cache: treat the HTTP rows as a local regression signal, not production figures.",
  ].join("\n");
}
