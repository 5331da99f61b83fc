/** Site configuration as wrangler.toml declares it, for Node-side tools. */
import "./offline-env.ts";
import { experimental_readRawConfig } from "wrangler";
import { parseSiteConfig, type SiteConfig } from "../src/core/site.ts";

export function readSiteConfig(configPath = "wrangler.toml"): SiteConfig {
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  return parseSiteConfig((rawConfig.vars ?? {}) as Record<string, unknown>);
}
