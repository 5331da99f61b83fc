/**
 * `npm run content:load`: makes the Worker's articles what content/ says, through the
 * admin API (the same write path as every other publish).
 *
 *   npm run content:load                   # local: through the Worker `npm start` serves,
 *                                          # or one of its own on .wrangler/state
 *   npm run content:load -- --check        # validate every file, write nothing
 *   npm run content:load -- --prune        # list articles no file names; with --yes,
 *                                          # delete them
 *   ADMIN_TOKEN=… npm run content:load -- --remote --url https://feeds.example.com
 *
 * Every changed file is validated before anything is sent; unchanged files (same
 * digest as the Worker's) are not sent. It ends with how many articles were created,
 * updated, unchanged and retracted, and stops at the first refusal with one message.
 */
import "./offline-env.ts";
import { parseArgs } from "node:util";
import { localTarget } from "./content/local-target.ts";
import { readContent } from "./content/read-content.ts";
import { scanContent } from "./content/scan.ts";
import { applySync, planSync, SyncError, type SyncTarget } from "./content/sync.ts";
import { readSiteConfigOrExit } from "./wrangler-config.ts";

function progress(done: number, total: number): void {
  if (total === 0) return;
  if (process.stdout.isTTY) {
    process.stdout.write(`\r  sent ${done}/${total}${done === total ? "\n" : ""}`);
  } else if (done === total || done % 1000 === 0) {
    console.log(`  sent ${done}/${total}`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      url: { type: "string" },
      prune: { type: "boolean", default: false },
      yes: { type: "boolean", default: false },
      port: { type: "string" },
      content: { type: "string", default: "content" },
      config: { type: "string", default: "wrangler.toml" },
      persist: { type: "string", default: ".wrangler/state" },
    },
  });
  const site = readSiteConfigOrExit(values.config);
  if (values.check) {
    const { articles, errors } = await readContent(values.content as string, site);
    for (const e of errors) console.error(`  ${e.file}: ${e.field} ${e.message}`);
    if (errors.length > 0) {
      console.error(`content/ has ${errors.length} error(s)`);
      return 1;
    }
    console.log(`content/: ${articles.length} article(s) valid`);
    return 0;
  }
  const started = performance.now();
  const { files, errors } = await scanContent(
    values.content as string,
    site,
    `${values.persist}/content-cache.json`,
  );
  if (errors.length > 0) {
    console.error(`content/ has ${errors.length} error(s); nothing was written:`);
    for (const e of errors) console.error(`  ${e.file}: ${e.field} ${e.message}`);
    return 1;
  }
  console.log(`content/: ${files.length} article(s) valid`);

  let target: SyncTarget & { description: string; stop(): Promise<void> };
  if (values.remote) {
    const base = values.url ?? process.env.PUBLISHER_URL;
    const token = process.env.ADMIN_TOKEN;
    if (!base || !token) {
      console.error(
        "--remote needs --url https://your-worker (or PUBLISHER_URL) and ADMIN_TOKEN in the environment",
      );
      return 2;
    }
    target = { base, token, description: base, stop: async () => {} };
  } else {
    const port = Number(values.port ?? process.env.PORT ?? 8787);
    target = await localTarget({ port, config: values.config, persist: values.persist });
  }
  try {
    console.log(`publishing through ${target.description}`);
    const plan = await planSync(files, target);
    if (values.prune && !values.yes && plan.orphans.length > 0) {
      console.error(
        `${plan.orphans.length} article(s) have no file in content/: ${plan.orphans.join(", ")}\n` +
          "Nothing was changed. Run again with --prune --yes to delete them.",
      );
      return 1;
    }
    const summary = await applySync(plan, site, target, { prune: values.prune, progress });
    console.log(
      `created ${summary.created}, updated ${summary.updated}, unchanged ${summary.unchanged}, ` +
        `retracted ${summary.retracted} (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
    if (!values.prune && summary.orphans.length > 0)
      console.log(
        `${summary.orphans.length} article(s) have no file in content/ (kept; --prune lists them)`,
      );
    return 0;
  } catch (error) {
    if (error instanceof SyncError) {
      console.error(`stopped: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await target.stop();
  }
}

process.exitCode = await main();
