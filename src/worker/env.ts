/**
 * The Worker's bindings, variables and secrets. What wrangler.toml declares (its [vars],
 * the KV namespace, the Durable Object) is typed by worker-configuration.d.ts, which
 * `npm run cf-typegen` generates from wrangler.toml (`npm test` fails when it no longer
 * matches). Here only what wrangler.toml does not declare.
 */
export interface OptionalSettings {
  /**
   * Bearer token of the admin API, a secret (.dev.vars, `wrangler secret put`); unset means
   * the API refuses every call.
   */
  ADMIN_TOKEN?: string;
  /** Absolute URLs of the square icon and the wide logo (commented out in wrangler.toml). */
  SITE_ICON?: string;
  SITE_LOGO?: string;
  /** First WebSub retry delay in ms (default 1000; tests make it short). */
  WEBSUB_RETRY_MS?: string;
}

/** An intersection, so that a setting moved into [vars] (then required) still type-checks. */
export type Env = Cloudflare.Env & OptionalSettings;

export type AppEnv = { Bindings: Env };
