/**
 * Can anyone slow the writer from outside? Publish latency while 50 connections request
 * random unknown categories, authors, articles and archive pages as fast as they answer
 * (flood-process.ts), against the same publishes with no flood. Unknown paths answer 404
 * from the path grammar, the scope directory in isolate memory or one KV read, never
 * with a Publisher call, so the ratio should stay near 1 (target ≤ 1.2×).
 *
 * How, and why so:
 * - In pairs, one publish flooded and one quiet, the order alternating (flooded first,
 *   then quiet first, ...), and the ratio is the median of the pairs' ratios: measured in
 *   three long windows a side, the same code's ratio moved between 0.96× and 1.70× from
 *   run to run, with the quiet publishes alone moving by a third between windows.
 * - The flood runs only around its publish: started, given FLOOD_LEAD_MS to have every
 *   connection busy, then the publish, then stopped.
 * - Publishes are spaced as an editor's would be (SPACING_MS apart, beyond the KV write
 *   pacing interval), so both sides measure the commit, not the pacing.
 * - Where the machine allows it (cpus.ts), the load generator and the Worker that answers
 *   the flood run on one half of the CPUs, the writer's workerd and this process (the
 *   publishing client) on the other, as production keeps edge isolates and the
 *   Publisher's Durable Object apart. `cpus` in the figures says which it was.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { cpuHalves, pidListeningOn, pin } from "./cpus.ts";
import { addStatuses } from "./http-bench.ts";
import { median } from "./timing.ts";

export interface FloodFigures {
  quietP50Ms: number;
  floodP50Ms: number;
  quietMaxMs: number;
  floodMaxMs: number;
  /** Median over the pairs of flooded/quiet publish latency. */
  ratio: number;
  pairs: number;
  floodRps: number;
  /** Status counts of the flood's responses (all 404 when nothing leaks through). */
  floodStatuses: Record<string, number>;
  /** Where things ran: "flood on CPU 0, writer on CPU 1", or "all on every CPU". */
  cpus: string;
}

export interface FloodOptions {
  /** The Worker that publishes (the admin API and the Publisher). */
  writerBase: string;
  /** The Worker that answers the flood: the writer's own, or a second workerd. */
  floodBase: string;
  token: string;
  slug: string;
  article: object;
  pairs?: number;
}

const SPACING_MS = 1_500;
const FLOOD_LEAD_MS = 700;
const DRAIN_MS = 300;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const FLOOD_PROCESS = join(dirname(fileURLToPath(import.meta.url)), "flood-process.ts");

/** The load generator's process, driven line by line (see flood-process.ts). */
class FloodProcess {
  private readonly child: ChildProcess;
  private readonly lines: AsyncIterator<string>;

  constructor(base: string) {
    this.child = spawn(process.execPath, [FLOOD_PROCESS, base], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    this.lines = createInterface({ input: this.child.stdout as NodeJS.ReadableStream })[
      Symbol.asyncIterator
    ]();
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error("the flood process did not start");
    return this.child.pid;
  }

  private async command(command: string): Promise<string> {
    this.child.stdin?.write(`${command}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error(`the flood process ended (after "${command}")`);
    return line.value;
  }

  async start(): Promise<void> {
    const answer = await this.command("start");
    if (answer !== "started") throw new Error(`the flood process answered "${answer}"`);
  }

  async stop(): Promise<{ requests: number; seconds: number; statuses: Record<string, number> }> {
    return JSON.parse(await this.command("stop"));
  }

  close(): void {
    this.child.stdin?.end();
  }
}

async function timedPublish(options: FloodOptions, summary: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${options.writerBase}/api/articles/${options.slug}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ ...options.article, summary }),
  });
  await response.text();
  if (!response.ok) throw new Error(`flood bench: publish answered HTTP ${response.status}`);
  return performance.now() - started;
}

export async function benchFlood(options: FloodOptions): Promise<FloodFigures> {
  const pairs = options.pairs ?? 24;
  const halves = cpuHalves();
  const pidOf = (base: string) => pidListeningOn(Number(new URL(base).port));
  const writerPid = halves ? pidOf(options.writerBase) : 0;
  const floodTargetPid = halves ? pidOf(options.floodBase) : 0;
  // Started once nothing before the try can throw: its finally closes it.
  const flood = new FloodProcess(options.floodBase);
  const quiet: number[] = [];
  const flooded: number[] = [];
  const statuses: Record<string, number> = {};
  let requests = 0;
  let seconds = 0;
  let lastStart = 0;
  const spaced = async () => {
    await sleep(Math.max(0, lastStart + SPACING_MS - performance.now()));
    lastStart = performance.now();
  };
  try {
    if (halves) {
      pin(flood.pid, halves.flood);
      if (floodTargetPid !== writerPid) pin(floodTargetPid, halves.flood);
      pin(writerPid, halves.writer);
      pin(process.pid, halves.writer);
    }
    for (let i = 0; i < pairs; i++) {
      const quietOne = async () => {
        await spaced();
        quiet.push(await timedPublish(options, `quiet ${i}`));
      };
      const floodedOne = async () => {
        await flood.start();
        await sleep(FLOOD_LEAD_MS);
        await spaced();
        flooded.push(await timedPublish(options, `flooded ${i}`));
        const figures = await flood.stop();
        addStatuses(statuses, figures.statuses);
        requests += figures.requests;
        seconds += figures.seconds;
        await sleep(DRAIN_MS);
      };
      if (i % 2 === 0) {
        await floodedOne();
        await quietOne();
      } else {
        await quietOne();
        await floodedOne();
      }
    }
  } finally {
    flood.close();
    // The HTTP rounds that follow use every CPU again.
    if (halves) for (const pid of [writerPid, floodTargetPid, process.pid]) pin(pid, halves.all);
  }
  const ratios = flooded.map((ms, i) => ms / (quiet[i] as number));
  return {
    quietP50Ms: median(quiet),
    floodP50Ms: median(flooded),
    quietMaxMs: Math.max(...quiet),
    floodMaxMs: Math.max(...flooded),
    ratio: median(ratios),
    pairs,
    floodRps: seconds > 0 ? requests / seconds : 0,
    floodStatuses: statuses,
    cpus: halves
      ? `flood on CPU ${halves.flood}, writer on CPU ${halves.writer}`
      : "all on every CPU (no taskset)",
  };
}
