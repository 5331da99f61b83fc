/** Site configuration as wrangler.toml declares it, for Node-side tools. */
import "./offline-env.ts";
import { experimental_readRawConfig } from "wrangler";
import { ConfigError, parseSiteConfig, type SiteConfig } from "../src/core/site.ts";

/** `overrides` replace [vars] as `wrangler dev --var NAME:value` does. */
export function readSiteConfig(
  configPath = "wrangler.toml",
  overrides: Record<string, string> = {},
): SiteConfig {
  const { rawConfig } = experimental_readRawConfig({ config: configPath });
  return parseSiteConfig({ ...(rawConfig.vars ?? {}), ...overrides });
}

/**
 * For command-line tools: a wrong setting is one line naming the variable, the value and
 * what is accepted (no stack trace), and exit code 2.
 */
export function readSiteConfigOrExit(
  configPath = "wrangler.toml",
  overrides: Record<string, string> = {},
): SiteConfig {
  try {
    return readSiteConfig(configPath, overrides);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${configPath}: ${error.message}`);
    process.exit(2);
  }
}
