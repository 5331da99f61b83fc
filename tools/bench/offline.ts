/**
 * Process settings for the benchmark, in a module of its own because they must be in
 * place before wrangler is loaded: wrangler reads some of them (its config and log
 * folder under XDG_CONFIG_HOME) when its module is evaluated, not when it is called.
 * run.ts imports this module first; ES modules are evaluated in import order.
 *
 * Everything stays on this machine (TOOLCHAIN.md, "Offline behaviour"): no metrics, no
 * fetch of the Request.cf object, and wrangler's config, logs and dev registry in a
 * temporary folder rather than the home folder, so a `wrangler dev` running beside the
 * benchmark neither sees these Workers nor is seen by them.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OFFLINE_ENV } from "../offline-env.ts";

/** Root of everything the benchmark writes: KV/DO state, dry-run bundle, wrangler config. */
export const BENCH_TMP = mkdtempSync(join(tmpdir(), "rtl-feed-bench-"));

// The shared offline settings, with wrangler's config in this run's temporary folder.
process.env.XDG_CONFIG_HOME = join(BENCH_TMP, "config");
Object.assign(process.env, OFFLINE_ENV);
mkdirSync(process.env.XDG_CONFIG_HOME, { recursive: true });

// Removed at exit rather than at the end of main(): wrangler and Miniflare finish some
// writes (log files, storage) after their promises resolve, and "exit" runs after those.
process.on("exit", () => rmSync(BENCH_TMP, { recursive: true, force: true }));
