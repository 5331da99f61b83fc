/**
 * Site configuration: what every feed and page says about the newsroom. It comes from
 * the `[vars]` of wrangler.toml (one file), parsed here so that a wrong value fails with
 * the variable's name instead of producing a broken feed.
 */
import { checkLanguageTag } from "./language.ts";
import {
  PartnerConfigError,
  type PartnerSettings,
  parsePartnerSettings,
} from "./partners/profiles.ts";
import { ITEM_MAX_BYTES, KV_VALUE_MAX_BYTES, MAX_ARCHIVE_PAGE_SIZE } from "./publishing/limits.ts";

export interface SiteConfig {
  /** Absolute base URL without a trailing slash, e.g. `https://feeds.example.com`. */
  url: string;
  title: string;
  description: string;
  language: string;
  copyright: string;
  /** Items in each subscription feed (main, category, author). */
  feedSize: number;
  /** Items per fixed-boundary archive page (RFC 5005). */
  archivePageSize: number;
  /** Largest subscription feed, in bytes: a feed holds the newest items that fit. */
  feedMaxBytes: number;
  /** WebSub hubs notified on every change. */
  hubs: string[];
  /** How long a deleted article stays announced as a tombstone, in days. */
  tombstoneDays: number;
  /**
   * Origins (`https://cdn.example`) that images in bodies and lead images may come from;
   * the site's own origin unless MEDIA_ORIGINS names others.
   */
  mediaOrigins: string[];
  /** Square icon (favicon-like) and wide logo, absolute URLs. */
  icon?: string;
  logo?: string;
  /** A wide cover image and an accent colour (six hex digits) for readers' branding (Feedly's webfeeds). */
  cover?: string;
  accentColor?: string;
  /**
   * What public documents carry of an article: its full text, or (a paywall) only its
   * summary; partner feeds always carry the full text.
   */
  publicContent: "full" | "summary";
  /** The partner feeds enabled, and their settings. */
  partners: PartnerSettings;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Vars = Record<string, unknown>;

function text(vars: Vars, name: string, fallback?: string): string {
  const value = vars[name];
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (fallback !== undefined) return fallback;
  throw new ConfigError(`${name} is not set: add it under [vars] in wrangler.toml`);
}

function absoluteUrl(name: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got "${value}"`);
  }
  return parsed.href;
}

/** An origin: scheme, host and port, nothing else (`https://cdn.example`). */
function originOf(name: string, value: string): string {
  const url = new URL(absoluteUrl(name, value));
  if (url.href !== `${url.origin}/`)
    throw new ConfigError(
      `${name} must list origins such as "https://cdn.example" (scheme and host, no path), got "${value}"`,
    );
  return url.origin;
}

function integer(vars: Vars, name: string, fallback: number, min: number, max: number): number {
  const raw = vars[name];
  if (raw === undefined || raw === "") return fallback;
  const n = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

export function parseSiteConfig(vars: Vars): SiteConfig {
  const given = text(vars, "SITE_LANGUAGE");
  const checked = checkLanguageTag(given);
  if (!checked.ok) throw new ConfigError(`SITE_LANGUAGE is "${given}": ${checked.message}`);
  const language = checked.tag;
  const hubs = text(vars, "WEBSUB_HUBS", "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((hub) => absoluteUrl("WEBSUB_HUBS", hub));
  const siteUrl = absoluteUrl("SITE_URL", text(vars, "SITE_URL"));
  const mediaOrigins = text(vars, "MEDIA_ORIGINS", "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((origin) => originOf("MEDIA_ORIGINS", origin));
  const icon = text(vars, "SITE_ICON", "");
  const logo = text(vars, "SITE_LOGO", "");
  const cover = text(vars, "SITE_COVER", "");
  const accentColor = text(vars, "SITE_ACCENT_COLOR", "").replace(/^#/, "");
  if (accentColor && !/^[0-9a-fA-F]{6}$/.test(accentColor))
    throw new ConfigError(
      `SITE_ACCENT_COLOR is "${accentColor}": give six hexadecimal digits, such as "0A7E3F"`,
    );
  const publicContent = text(vars, "PUBLIC_CONTENT", "full");
  if (publicContent !== "full" && publicContent !== "summary")
    throw new ConfigError(`PUBLIC_CONTENT is "${publicContent}": it takes "full" or "summary"`);
  let partners: PartnerSettings;
  try {
    partners = parsePartnerSettings(vars);
  } catch (error) {
    if (error instanceof PartnerConfigError) throw new ConfigError(error.message);
    throw error;
  }
  const smartnewsLogo = text(vars, "SMARTNEWS_LOGO", "");
  if (smartnewsLogo) partners.smartnewsLogo = absoluteUrl("SMARTNEWS_LOGO", smartnewsLogo);
  return {
    // Without a trailing slash: paths are appended to it.
    url: siteUrl.replace(/\/$/, ""),
    title: text(vars, "SITE_TITLE"),
    description: text(vars, "SITE_DESCRIPTION"),
    language,
    copyright: text(vars, "SITE_COPYRIGHT", ""),
    feedSize: integer(vars, "FEED_SIZE", 50, 1, 500),
    // Fixed pages of at most 50 items of at most ITEM_MAX_BYTES each stay under KV's
    // value limit whatever is published (see publishing/limits.ts).
    archivePageSize: integer(vars, "ARCHIVE_PAGE_SIZE", 50, 1, MAX_ARCHIVE_PAGE_SIZE),
    // At least two of the largest items, so the newest article always fits.
    feedMaxBytes: integer(
      vars,
      "FEED_MAX_BYTES",
      1024 * 1024,
      2 * ITEM_MAX_BYTES,
      KV_VALUE_MAX_BYTES - 64 * 1024,
    ),
    hubs,
    tombstoneDays: integer(vars, "TOMBSTONE_DAYS", 30, 0, 3650),
    mediaOrigins: mediaOrigins.length > 0 ? [...new Set(mediaOrigins)] : [new URL(siteUrl).origin],
    ...(icon ? { icon: absoluteUrl("SITE_ICON", icon) } : {}),
    ...(logo ? { logo: absoluteUrl("SITE_LOGO", logo) } : {}),
    ...(cover ? { cover: absoluteUrl("SITE_COVER", cover) } : {}),
    ...(accentColor ? { accentColor: accentColor.toUpperCase() } : {}),
    publicContent,
    partners,
  };
}

/** Every setting of a deployment: the site, and how the Worker and the writer behave. */
export interface Settings {
  site: SiteConfig;
  /** How long an isolate may answer from its memory (DOC_MEMORY_TTL_MS; 0 = never). */
  memoryTtlMs: number;
  /** First WebSub retry delay (WEBSUB_RETRY_MS). */
  websubRetryMs: number;
  /** Least time between two writes of one KV key (KV_WRITE_INTERVAL_MS; KV allows 1/s). */
  kvWriteIntervalMs: number;
}

/**
 * The one reader of the configuration, for the Worker, the Publisher and the tools: a
 * wrong value throws a ConfigError naming the variable, the value and what is accepted.
 */
export function parseSettings(vars: Vars): Settings {
  return {
    site: parseSiteConfig(vars),
    memoryTtlMs: integer(vars, "DOC_MEMORY_TTL_MS", 1000, 0, 60_000),
    websubRetryMs: integer(vars, "WEBSUB_RETRY_MS", 1000, 1, 600_000),
    kvWriteIntervalMs: integer(vars, "KV_WRITE_INTERVAL_MS", 1000, 0, 10_000),
  };
}
