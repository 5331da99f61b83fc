/**
 * Keeps wrangler and Miniflare off the network and out of the home folder (TOOLCHAIN.md,
 * "Offline behaviour"): the one place these settings live. Every tool imports this
 * module first, vitest.config.ts imports it, and `node tools/wrangler.ts …` runs the
 * wrangler CLI under it (npm scripts). A module of its own, imported first, because
 * wrangler reads some of these (its config and log folder) when its module is
 * evaluated, not when it is called; ES modules are evaluated in import order. Values
 * already set win.
 */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
} as const;

for (const [name, value] of Object.entries(OFFLINE_ENV)) process.env[name] ??= value;
process.env.XDG_CONFIG_HOME ??= `${process.cwd()}/.wrangler/config`;
