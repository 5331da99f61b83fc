/**
 * Where a local sync publishes: the Worker `npm start` (wrangler dev) is serving, if one
 * answers on the port with this checkout's admin token, so there is only ever one writer
 * on the local state; otherwise a Worker of its own on the same state, stopped after.
 */

import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { startLocalWorker } from "../local-worker.ts";
import type { SyncTarget } from "./sync.ts";

/** The ADMIN_TOKEN of .dev.vars (what `npm start` gives `wrangler dev`), if there is one. */
export function devVarsToken(path = ".dev.vars"): string | undefined {
  if (!existsSync(path)) return undefined;
  return /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(path, "utf8"))?.[1]?.trim() || undefined;
}

/** True if our Worker serves at `base` and takes `token`. */
export async function servingAt(base: string, token: string): Promise<boolean> {
  try {
    const response = await fetch(new URL("/api/digests?limit=1", base), {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(2000),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

export interface LocalTarget extends SyncTarget {
  /** How it was found, for the log. */
  description: string;
  stop(): Promise<void>;
}

export async function localTarget(options: {
  port: number;
  config: string;
  persist: string;
}): Promise<LocalTarget> {
  const token = process.env.ADMIN_TOKEN ?? devVarsToken();
  const base = `http://127.0.0.1:${options.port}`;
  if (token && (await servingAt(base, token))) {
    return { base, token, description: `the Worker serving ${base}`, stop: async () => {} };
  }
  const ownToken = token ?? randomBytes(24).toString("hex");
  const worker = await startLocalWorker({
    config: options.config,
    persist: options.persist,
    secrets: { ADMIN_TOKEN: ownToken },
  });
  return {
    base: worker.url,
    token: ownToken,
    description: `a local Worker on ${options.persist} (none was serving ${base})`,
    stop: () => worker.stop(),
  };
}
