/**
 * The wrangler CLI under the offline settings (offline-env.ts), for npm scripts:
 * `node tools/wrangler.ts types …` instead of repeating the variables in each script.
 */
import "./offline-env.ts";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const cli = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin/wrangler.js",
);
const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
