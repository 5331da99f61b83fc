/** The deployment's settings, read once per isolate by the one configuration reader. */
import { buildFingerprint } from "../core/documents.ts";
import { parseSettings, type Settings } from "../core/site.ts";
import type { Env } from "./env.ts";

export interface Deployment extends Settings {
  /** Fingerprint of the site configuration and renderers that documents are built with. */
  build: string;
}

const parsed = new WeakMap<Env, Deployment>();

export function siteOf(env: Env): Deployment {
  let hit = parsed.get(env);
  if (!hit) {
    const settings = parseSettings({ ...env });
    hit = { ...settings, build: buildFingerprint(settings.site) };
    parsed.set(env, hit);
  }
  return hit;
}

export function publisherOf(env: Env) {
  return env.PUBLISHER.get(env.PUBLISHER.idFromName("main"));
}
