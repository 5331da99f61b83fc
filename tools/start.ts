/**
 * `npm start`: the quick start. Makes a local admin token if there is none, starts
 * `wrangler dev` (one Worker, one Publisher on .wrangler/state), then syncs content/
 * through it, so the files and anything published through the API meet one writer.
 *
 *   npm start                       # http://localhost:8787
 *   npm start -- --port 8842        # or PORT=8842 npm start; other wrangler dev flags pass through
 *
 * Locally, links and ids follow the origin served: when SITE_URL in wrangler.toml is a
 * localhost URL on another port, the served one replaces it (and it says so).
 */
import "./offline-env.ts";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { servingAt } from "./content/local-target.ts";
import { scanContent } from "./content/scan.ts";
import { applySync, planSync, SyncError } from "./content/sync.ts";
import { readSiteConfigOrExit } from "./wrangler-config.ts";

// --port, --content and --persist-to are read here too; every flag goes to wrangler dev
// but --content (the folder of articles, default content/).
const ours: Record<string, string | undefined> = {};
const passThrough: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
  if (["--port", "--content", "--persist-to"].includes(name)) {
    ours[name] = inline ?? args[++i];
    if (name === "--persist-to") passThrough.push(name, ours[name] as string);
  } else passThrough.push(arg);
}
const portArg = ours["--port"];
const port = Number(portArg ?? process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(
    `--port (or PORT) must be a port number from 1 to 65535, got "${portArg ?? process.env.PORT}"`,
  );
  process.exit(2);
}

let token = /^ADMIN_TOKEN=(.*)$/m
  .exec(existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "")?.[1]
  ?.trim();
if (!token) {
  token = randomBytes(24).toString("hex");
  const line = `ADMIN_TOKEN=${token}\n`;
  writeFileSync(
    ".dev.vars",
    existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") + line : line,
    {
      mode: 0o600,
    },
  );
  console.log("created .dev.vars with a local ADMIN_TOKEN (git-ignored)");
}

const configured = readSiteConfigOrExit("wrangler.toml");
const served = `http://localhost:${port}`;
const vars: string[] = [];
const siteUrl = new URL(configured.url);
if (["localhost", "127.0.0.1"].includes(siteUrl.hostname) && siteUrl.origin !== served) {
  vars.push("--var", `SITE_URL:${served}`);
  console.log(
    `SITE_URL is ${configured.url} in wrangler.toml; serving ${served}, links and ids follow it`,
  );
} else if (siteUrl.origin !== served) {
  console.log(`note: SITE_URL is ${configured.url}: links and ids name it, not ${served}`);
}
// Everything derived from SITE_URL (the media origins, say) follows the served origin too.
const site =
  vars.length > 0 ? readSiteConfigOrExit("wrangler.toml", { SITE_URL: served }) : configured;

const persist = ours["--persist-to"] ?? ".wrangler/state";
const { files, errors } = await scanContent(
  ours["--content"] ?? "content",
  site,
  `${persist}/content-cache.json`,
);
if (errors.length > 0) {
  console.error(`content/ has ${errors.length} error(s); not starting:`);
  for (const e of errors) console.error(`  ${e.file}: ${e.field} ${e.message}`);
  process.exit(1);
}

const dev = spawn("wrangler", ["dev", "--port", String(port), ...vars, ...passThrough], {
  stdio: "inherit",
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => dev.kill(sig));
const exited = new Promise<number>((resolve) =>
  dev.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))),
);

const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 60_000;
let up = false;
while (!up && Date.now() < deadline && dev.exitCode === null) {
  up = await servingAt(base, token);
  if (!up) await new Promise((r) => setTimeout(r, 200));
}
if (!up) {
  console.error(`wrangler dev did not answer on ${base} within 60 s`);
  dev.kill("SIGTERM");
  process.exit((await exited) || 1);
}
try {
  const target = { base, token };
  const started = performance.now();
  const summary = await applySync(await planSync(files, target), site, target);
  console.log(
    `content/: created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged} ` +
      `(${((performance.now() - started) / 1000).toFixed(1)} s); serving ${served}`,
  );
} catch (error) {
  console.error(error instanceof SyncError ? `content/ not loaded: ${error.message}` : error);
}
process.exit(await exited);
