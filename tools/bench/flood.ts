/**
 * Can anyone slow the writer from outside? (`floodBase`: where the flood goes, by default
 * the Worker that also runs the writer.) Publish latency while 50 connections request
 * random unknown categories, authors, articles and archive pages as fast as they can,
 * against the same publishes with no load, in alternating windows. Unknown paths answer 404 from the path
 * grammar or one KV read, without a Publisher call, so the ratio should stay near 1
 * (target ≤ 1.2×). Publishes are spaced as an editor's would be (1.5 s apart, beyond
 * the KV write pacing interval), so both runs measure the commit, not the pacing.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { addStatuses, countStatuses } from "./http-bench.ts";
import { median } from "./timing.ts";

export interface FloodFigures {
  quietP50Ms: number;
  floodP50Ms: number;
  quietMaxMs: number;
  floodMaxMs: number;
  ratio: number;
  floodRps: number;
  /** Status counts of the flood's responses (all 404 when nothing leaks through). */
  floodStatuses: Record<string, number>;
}

const SPACING_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timedPublishes(
  base: string,
  token: string,
  slug: string,
  article: object,
  count: number,
  tag: string,
) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${base}/api/articles/${slug}`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ ...article, summary: `${tag} ${i}` }),
    });
    await response.text();
    if (!response.ok) throw new Error(`flood bench: publish answered HTTP ${response.status}`);
    const ms = performance.now() - started;
    times.push(ms);
    await sleep(Math.max(0, SPACING_MS - ms));
  }
  return times;
}

/** The flood's request hook, loaded by path in autocannon's worker thread. */
const FLOOD_REQUEST = join(dirname(fileURLToPath(import.meta.url)), "flood-request.cjs");

/**
 * A flood of random unknown paths at full speed for `seconds`, from a worker thread:
 * from this thread, its thousand responses a second would delay the publishes' own
 * responses here and be counted as the writer's slowness.
 */
function flood(floodBase: string, seconds: number) {
  return new Promise<{ statuses: Record<string, number>; requests: number; seconds: number }>(
    (resolve, reject) => {
      autocannon(
        {
          url: floodBase,
          connections: 50,
          duration: seconds,
          timeout: 10,
          workers: 1,
          requests: [{ setupRequest: FLOOD_REQUEST }],
        },
        (error, result) => {
          if (error) return reject(error);
          const { statuses, completed } = countStatuses(result.statusCodeStats);
          resolve({ statuses, requests: completed, seconds: result.duration });
        },
      );
    },
  );
}

/**
 * Quiet and flooded publishes in alternating windows (quiet then flooded, then flooded
 * then quiet, ...), `publishes` of each in all, so both sides share the same minutes of
 * this machine: measured one after the other, the same code's quiet p50 moved by a third.
 */
export async function benchFlood(
  base: string,
  token: string,
  slug: string,
  article: object,
  publishes = 18,
  floodBase = base,
  windows = 3,
): Promise<FloodFigures> {
  const quiet: number[] = [];
  const flooded: number[] = [];
  const statuses: Record<string, number> = {};
  let requests = 0;
  let seconds = 0;
  const perWindow = Math.ceil(publishes / windows);
  const quietWindow = async (w: number) => {
    quiet.push(...(await timedPublishes(base, token, slug, article, perWindow, `quiet ${w}`)));
  };
  const floodWindow = async (w: number) => {
    // The flood at full speed a second before the first publish, and until after the last.
    const flooding = flood(floodBase, Math.ceil(2 + (perWindow * SPACING_MS) / 1000));
    await sleep(1_000);
    flooded.push(...(await timedPublishes(base, token, slug, article, perWindow, `flood ${w}`)));
    const figures = await flooding;
    addStatuses(statuses, figures.statuses);
    requests += figures.requests;
    seconds += figures.seconds;
    await sleep(1_000); // the flood's last requests drained
  };
  for (let w = 0; w < windows; w++) {
    if (w % 2 === 0) {
      await quietWindow(w);
      await floodWindow(w);
    } else {
      await floodWindow(w);
      await quietWindow(w);
    }
  }
  const quietP50Ms = median(quiet);
  const floodP50Ms = median(flooded);
  return {
    quietP50Ms,
    floodP50Ms,
    quietMaxMs: Math.max(...quiet),
    floodMaxMs: Math.max(...flooded),
    ratio: floodP50Ms / quietP50Ms,
    floodRps: seconds > 0 ? requests / seconds : 0,
    floodStatuses: statuses,
  };
}
