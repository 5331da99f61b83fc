/**
 * The flood's load generator (flood.ts), a process of its own so that it can be kept off
 * the writer's CPU (cpus.ts) and its thousand responses a second never delay the bench's
 * own publishes. It floods `<base>` with random unknown categories, authors, articles and
 * archive pages at 50 connections, as fast as they answer, between the commands it reads
 * on stdin:
 *   start  starts flooding (answers "started")
 *   stop   stops, and answers one JSON line: {"requests":N,"seconds":S,"statuses":{...}}
 * and exits when stdin closes.
 *
 *   node tools/bench/flood-process.ts http://127.0.0.1:8787
 */
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { countStatuses } from "./http-bench.ts";

const base = process.argv[2];
if (!base) {
  console.error("usage: node tools/bench/flood-process.ts <base URL>");
  process.exit(2);
}

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

/** Longer than any flood window: `stop` ends it. */
const MAX_SECONDS = 600;

let running: { stop(): void } | undefined;

for await (const command of createInterface({ input: process.stdin })) {
  if (command === "start" && !running) {
    running = autocannon(
      {
        url: base,
        connections: 50,
        duration: MAX_SECONDS,
        timeout: 10,
        requests: [{ setupRequest: (request) => ({ ...request, path: randomUnknownPath() }) }],
      },
      (error, result) => {
        running = undefined;
        if (error) {
          console.error(error);
          process.exit(1);
        }
        const { statuses, completed } = countStatuses(result.statusCodeStats);
        console.log(JSON.stringify({ requests: completed, seconds: result.duration, statuses }));
      },
    );
    console.log("started");
  } else if (command === "stop") {
    if (running) running.stop();
    else console.log(JSON.stringify({ requests: 0, seconds: 0, statuses: {} }));
  }
}
// stdin closed (the bench ended, or failed mid-flood): stop flooding now, not in MAX_SECONDS.
process.exit(0);
