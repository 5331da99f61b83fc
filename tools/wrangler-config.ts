/** Site configuration as wrangler.toml declares it, for Node-side tools. */
import { experimental_readRawConfig } from "wrangler";
import { parseSiteConfig, type SiteConfig } from "../src/core/site.ts";

export function readSiteConfig(configPath = "wrangler.toml"): SiteConfig {
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  return parseSiteConfig((rawConfig.vars ?? {}) as Record<string, unknown>);
}

/** Keeps wrangler and Miniflare off the network (see TOOLCHAIN.md). */
export function offlineEnv(): void {
  process.env.WRANGLER_SEND_METRICS ??= "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
  // Wrangler's own config and logs stay in the project, not the home folder.
  process.env.XDG_CONFIG_HOME ??= `${process.cwd()}/.wrangler/config`;
}
