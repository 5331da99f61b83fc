/**
 * How long `npm start` takes to be ready with a large content/ that has not changed
 * since the last start (issue #11's target: 10,000 unchanged files in under 10 s).
 *
 *   npm run bench:start                 # 10,000 files
 *   START_BENCH_FILES=2000 npm run bench:start
 *
 * Writes the files into a temporary folder, runs tools/start.ts on it once to load them
 * (the first start sends everything), stops it, then starts it again and times from
 * spawning to its "serving" line (wrangler dev up, content/ scanned and compared).
 */
import "../offline-env.ts";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { benchArticle } from "./articles.ts";

const files = Number(process.env.START_BENCH_FILES ?? 10_000);
const port = 8700 + Math.floor(Math.random() * 200);
const dir = mkdtempSync(join(tmpdir(), "start-bench-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, "content", "articles"), { recursive: true });
for (let i = 0; i < files; i++) {
  const { slug, article } = benchArticle(i);
  const { body, ...meta } = article as { body: string } & Record<string, unknown>;
  writeFileSync(
    join(dir, "content", "articles", `${slug}.md`),
    `---\n${stringify(meta)}---\n${body}\n`,
  );
}

/** Runs npm start on the folder until it says it is serving; resolves with the time it took. */
function start(): Promise<{ ms: number; line: string }> {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const child = spawn(
      process.execPath,
      [
        "tools/start.ts",
        "--port",
        String(port),
        "--content",
        join(dir, "content"),
        "--persist-to",
        join(dir, "state"),
      ],
      { stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    let out = "";
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split("\n").find((l) => l.startsWith("content/: created"));
      if (line) {
        const ms = performance.now() - began;
        process.kill(-(child.pid as number), "SIGTERM");
        child.on("exit", () => resolve({ ms, line }));
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      if (!out.includes("content/: created"))
        reject(new Error(`npm start exited ${code}:\n${out.slice(-2000)}`));
    });
  });
}

console.log(`# npm start with ${files.toLocaleString("en")} content files\n`);
const first = await start();
console.log(`first start (loads everything): ${(first.ms / 1000).toFixed(1)} s — ${first.line}`);
const again = await start();
console.log(`second start (nothing changed): ${(again.ms / 1000).toFixed(1)} s — ${again.line}`);
const target = 10_000;
console.log(
  `\n| npm start, ${files.toLocaleString("en")} unchanged files, until ready | < ${target / 1000} s | ${(again.ms / 1000).toFixed(1)} s | ${again.ms < target ? "PASS" : "MISS"} |`,
);
