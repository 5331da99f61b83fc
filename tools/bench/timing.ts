/**
 * Micro-benchmark timing: warm-up, calibrated rounds, median.
 *
 * Why this shape: JIT tiers and inline caches settle only after a few hundred calls, so
 * the first calls are discarded; one long round is at the mercy of a GC pause or another
 * process, so several rounds are timed and the median is reported; and the cases of a
 * comparison are interleaved round by round, so a noisy moment of the machine hits every
 * case alike instead of penalising whichever ran then.
 */
import { performance } from "node:perf_hooks";

export interface TimingOptions {
  /** Warm-up time per case before anything is measured. */
  warmupMs: number;
  /** Wall time each measured round aims at. */
  roundMs: number;
  rounds: number;
}

export interface Timing {
  /** Median over rounds of the mean time per call, in milliseconds. */
  msPerOp: number;
  /** Fastest and slowest round, for judging noise. */
  minMs: number;
  maxMs: number;
  /** Calls per round. */
  iterations: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Results are folded into this so the optimiser cannot drop a call whose result is unused. */
let sink = 0;

function consume(value: unknown): void {
  sink = (sink + (typeof value === "string" ? value.length : 1)) | 0;
}

/** Runs `fn` for at least `ms`, returning the mean time per call. */
function runFor(fn: () => unknown, ms: number): number {
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    consume(fn());
    calls++;
    now = performance.now();
  }
  return (now - start) / calls;
}

function runTimes(fn: () => unknown, times: number): number {
  const start = performance.now();
  for (let i = 0; i < times; i++) consume(fn());
  return (performance.now() - start) / times;
}

/**
 * Calls per round for a function that took `estimateMs` per call while warming up. A
 * fixed call count per round (not a deadline) keeps performance.now() out of the loop.
 */
function callsPerRound(estimateMs: number, options: TimingOptions): number {
  return Math.max(3, Math.round(options.roundMs / estimateMs));
}

function summarise(samples: number[], iterations: number): Timing {
  return {
    msPerOp: median(samples),
    minMs: Math.min(...samples),
    maxMs: Math.max(...samples),
    iterations,
  };
}

/** Times every case; rounds are interleaved across cases (see the module comment). */
export function compare<K extends string>(
  cases: Record<K, () => unknown>,
  options: TimingOptions,
): Record<K, Timing> {
  const names = Object.keys(cases) as K[];
  const iterations = {} as Record<K, number>;
  for (const name of names) {
    iterations[name] = callsPerRound(runFor(cases[name], options.warmupMs), options);
  }
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) samples[name].push(runTimes(cases[name], iterations[name]));
  }
  const out = {} as Record<K, Timing>;
  for (const name of names) out[name] = summarise(samples[name], iterations[name]);
  if (sink === 0.5) console.log("unreachable"); // keeps `sink` observably live
  return out;
}

/**
 * The same for an async function, one call after another (never overlapping), for code
 * whose real shape is a promise, such as a request handler. Rounds are not interleaved
 * across cases here: each case is timed on its own.
 */
export async function timeAsync(
  fn: () => Promise<unknown>,
  options: TimingOptions,
): Promise<Timing> {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < options.warmupMs) {
    consume(await fn());
    calls++;
  }
  const iterations = callsPerRound((performance.now() - start) / calls, options);
  const samples: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const began = performance.now();
    for (let i = 0; i < iterations; i++) consume(await fn());
    samples.push((performance.now() - began) / iterations);
  }
  return summarise(samples, iterations);
}
