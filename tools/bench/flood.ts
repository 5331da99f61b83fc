/**
 * Can anyone slow the writer from outside? (`floodBase`: where the flood goes, by default
 * the Worker that also runs the writer.) Publish latency while 50 connections request
 * random unknown categories, authors, articles and archive pages as fast as they can,
 * against the same publishes with no load. Unknown paths answer 404 from the path
 * grammar or one KV read, without a Publisher call, so the ratio should stay near 1
 * (target ≤ 1.2×). Publishes are spaced as an editor's would be (1.5 s apart, beyond
 * the KV write pacing interval), so both runs measure the commit, not the pacing.
 */
import autocannon from "autocannon";
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

function randomUnknownPath(): string {
  const word = Math.random().toString(36).slice(2, 10);
  switch (Math.floor(Math.random() * 4)) {
    case 0:
      return `/categories/${word}/feed.xml`;
    case 1:
      return `/authors/${word}/atom.xml`;
    case 2:
      return `/articles/${word}`;
    default:
      return `/archive/${100_000 + Math.floor(Math.random() * 1e6)}/feed.json`;
  }
}

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

export async function benchFlood(
  base: string,
  token: string,
  slug: string,
  article: object,
  publishes = 15,
  floodBase = base,
): Promise<FloodFigures> {
  const quiet = await timedPublishes(base, token, slug, article, publishes, "quiet");
  let statuses: Record<string, number> = {};
  let rps = 0;
  let stopFlood = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: floodBase,
        connections: 50,
        duration: 600,
        timeout: 10,
        requests: [{ setupRequest: (request) => ({ ...request, path: randomUnknownPath() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        statuses = Object.fromEntries(
          Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
        );
        rps = Object.values(statuses).reduce((a, b) => a + b, 0) / result.duration;
        resolve();
      },
    );
    stopFlood = () => instance.stop();
  });
  await sleep(1_000); // the flood at full speed before the first publish
  const flooded = await timedPublishes(base, token, slug, article, publishes, "flood");
  stopFlood();
  await finished;
  const quietP50Ms = median(quiet);
  const floodP50Ms = median(flooded);
  return {
    quietP50Ms,
    floodP50Ms,
    quietMaxMs: Math.max(...quiet),
    floodMaxMs: Math.max(...flooded),
    ratio: floodP50Ms / quietP50Ms,
    floodRps: rps,
    floodStatuses: statuses,
  };
}
