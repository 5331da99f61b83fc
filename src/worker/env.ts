/** The Worker's bindings (wrangler.toml) and secrets (.dev.vars / wrangler secret put). */
import type { Publisher } from "./publisher.ts";

export interface Env {
  /** Articles and every pre-rendered feed and page (key scheme: store/keys.ts). */
  ARTICLES: KVNamespace;
  /** The single writer (one instance, named "main"). */
  PUBLISHER: DurableObjectNamespace<Publisher>;
  /** Bearer token of the admin API; unset means the API refuses every call. */
  ADMIN_TOKEN?: string;
  SITE_URL: string;
  SITE_TITLE: string;
  SITE_DESCRIPTION: string;
  SITE_LANGUAGE: string;
  SITE_COPYRIGHT?: string;
  SITE_ICON?: string;
  SITE_LOGO?: string;
  FEED_SIZE?: string;
  ARCHIVE_PAGE_SIZE?: string;
  WEBSUB_HUBS?: string;
  /** First WebSub retry delay in ms (default 1000; tests make it short). */
  WEBSUB_RETRY_MS?: string;
  TOMBSTONE_DAYS?: string;
  /** How long an isolate answers a document from memory, in ms (default 1000; 0 = off). */
  DOC_MEMORY_TTL_MS?: string;
}

export type AppEnv = { Bindings: Env };
