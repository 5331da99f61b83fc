/** The site configuration of this deployment, parsed once per isolate. */
import { buildFingerprint } from "../core/documents.ts";
import { ConfigError, parseSiteConfig, type SiteConfig } from "../core/site.ts";
import type { Env } from "./env.ts";

interface Deployment {
  site: SiteConfig;
  build: string;
  /** How long an isolate may answer from its memory (DOC_MEMORY_TTL_MS; 0 = never). */
  memoryTtlMs: number;
}

const parsed = new WeakMap<Env, Deployment>();

export function siteOf(env: Env): Deployment {
  let hit = parsed.get(env);
  if (!hit) {
    const site = parseSiteConfig(env as unknown as Record<string, unknown>);
    const ttl = Number(env.DOC_MEMORY_TTL_MS ?? "1000");
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 60_000) {
      throw new ConfigError(
        `DOC_MEMORY_TTL_MS must be a whole number of milliseconds from 0 to 60000, got "${env.DOC_MEMORY_TTL_MS}"`,
      );
    }
    hit = { site, build: buildFingerprint(site), memoryTtlMs: ttl };
    parsed.set(env, hit);
  }
  return hit;
}

export function publisherOf(env: Env) {
  return env.PUBLISHER.get(env.PUBLISHER.idFromName("main"));
}
