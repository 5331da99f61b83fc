/** The site configuration of this deployment, parsed once per isolate. */
import { buildFingerprint } from "../core/documents.ts";
import { parseSiteConfig, type SiteConfig } from "../core/site.ts";
import type { Env } from "./env.ts";

const parsed = new WeakMap<Env, { site: SiteConfig; build: string }>();

export function siteOf(env: Env): { site: SiteConfig; build: string } {
  let hit = parsed.get(env);
  if (!hit) {
    const site = parseSiteConfig(env as unknown as Record<string, unknown>);
    hit = { site, build: buildFingerprint(site) };
    parsed.set(env, hit);
  }
  return hit;
}

export function publisherOf(env: Env) {
  return env.PUBLISHER.get(env.PUBLISHER.idFromName("main"));
}
