/**
 * Partner profiles: each syndication partner's documented ingestion rules, as data. A
 * newsroom enables the ones it uses (PARTNERS in wrangler.toml) and may add its own
 * (PARTNER_PROFILES, the same fields as JSON); each enabled profile gets its own feed at
 * /partners/<id>/feed.xml, rendered at publish time like every other document.
 *
 * The rules and their sources (read again before changing a number: partners change
 * them; ../shared/PARTNERS.md has the collected list):
 * - Google News: support.google.com/news/publisher-center/answer/9545420 and /9545414:
 *   full text in content:encoded, 2 MB per feed, up to 60 new articles per fetch,
 *   guid never changes; images are used from 800 px on the shortest side
 *   (developers.google.com/search/docs/appearance/google-images: large images).
 * - Microsoft Start / MSN: support.microsoft.com "MSN feed item metadata requirements",
 *   "content expiration and takedown rules"; helpcenter.msn.com/kb/articles/51: feed
 *   ≤ 10 MB, keep under 30 new items, content from the last 365 days, one language per
 *   feed, title 20–150 characters (or mi:shortTitle), dates in UTC, only items with an
 *   image auto-publish, takedown = same id with mi:expirationDate in the past and a
 *   newer dcterms:modified; Basic-protected feeds accepted.
 * - Flipboard: about.flipboard.com/rss-spec: at least 30 items, at least one image of
 *   400 px or more, full body, dc:creator, channel language ISO 639 (+ region).
 * - SmartNews: publishers.smartnews.com/hc/en-us/articles/360036526213 (SmartFormat):
 *   RSS 2.0, channel description of at most 30 characters, ttl, snf:logo, 1 MB
 *   recommended.
 * - Apple News (RSS intake): support.apple.com/guide/news-publisher/apdc2c7520ff:
 *   channel language with a locale (ar-PS), titles of 15–60 characters.
 * - Feedly: feedly.com/fetcher.html and the webfeeds namespace in practice
 *   (icon, logo, cover, accentColor).
 */
import * as v from "valibot";
import { checkLanguageTag } from "../language.ts";
import { isSlug } from "../urls.ts";

export interface TitleRule {
  min: number;
  max: number;
}

export interface ImageRule {
  /** Items without a lead image (or with one below `minPx`) are left out. */
  required: boolean;
  /** Smallest accepted size in pixels, where the image's width and height are given. */
  minPx?: number;
  /** Which side `minPx` applies to. */
  side?: "width" | "shortest";
}

export interface PartnerProfile {
  /** URL segment: /partners/<id>/feed.xml. */
  id: string;
  name: string;
  /** Items in the feed, newest first. */
  maxItems: number;
  /** The partner wants at least this many (a warning in the admin API when fewer are live). */
  minItems?: number;
  /** Largest feed in bytes (within KV's value limit). */
  maxBytes: number;
  /** Title length in characters; out of range, the short title is used, else the item is left out. */
  title?: TitleRule;
  image?: ImageRule;
  /** Only items published in the last this many days. */
  maxAgeDays?: number;
  /** One language per feed: items in another language are left out. */
  singleLanguage?: boolean;
  /** The channel language must carry a region (ar-PS): PARTNER_LANGUAGE gives it. */
  languageWithRegion?: boolean;
  /** Dates written in UTC. */
  utcDates?: boolean;
  /** Channel description of at most this many characters (cut at a word). */
  descriptionMax?: number;
  /** RSS `ttl` in minutes. */
  ttlMinutes?: number;
  /** Namespaced extras this partner reads. */
  extensions: ("msn" | "smartnews" | "webfeeds")[];
  /** Deleted and expired articles: MSN's expiry items, or Atom-style tombstones only. */
  takedown: "msn-expiry" | "omit";
  /** The feed needs a credential (PARTNER_TOKEN_<ID> secret). */
  private: boolean;
}

export const BUILT_IN_PROFILES: readonly PartnerProfile[] = [
  {
    id: "google-news",
    name: "Google News",
    maxItems: 60,
    maxBytes: 2_000_000,
    image: { required: false, minPx: 800, side: "shortest" },
    extensions: [],
    takedown: "omit",
    private: false,
  },
  {
    id: "msn",
    name: "Microsoft Start / MSN",
    maxItems: 29,
    maxBytes: 10_000_000,
    title: { min: 20, max: 150 },
    image: { required: true },
    maxAgeDays: 365,
    singleLanguage: true,
    utcDates: true,
    extensions: ["msn"],
    takedown: "msn-expiry",
    private: false,
  },
  {
    id: "flipboard",
    name: "Flipboard",
    maxItems: 50,
    minItems: 30,
    maxBytes: 5_000_000,
    image: { required: true, minPx: 400, side: "width" },
    extensions: [],
    takedown: "omit",
    private: false,
  },
  {
    id: "smartnews",
    name: "SmartNews",
    maxItems: 50,
    maxBytes: 1_000_000,
    descriptionMax: 30,
    ttlMinutes: 15,
    extensions: ["smartnews"],
    takedown: "omit",
    private: false,
  },
  {
    id: "apple-news",
    name: "Apple News",
    maxItems: 50,
    maxBytes: 5_000_000,
    title: { min: 15, max: 60 },
    languageWithRegion: true,
    extensions: [],
    takedown: "omit",
    private: false,
  },
  {
    id: "feedly",
    name: "Feedly",
    maxItems: 50,
    maxBytes: 5_000_000,
    extensions: ["webfeeds"],
    takedown: "omit",
    private: false,
  },
];

/** KV takes 25 MiB per value; a partner feed stays well under it. */
const PARTNER_MAX_BYTES = 20_000_000;

const positive = (max: number) =>
  v.pipe(
    v.number("must be a number"),
    v.integer("must be a whole number"),
    v.minValue(1),
    v.maxValue(max),
  );

/** A newsroom's own profile (PARTNER_PROFILES), with the same fields. */
const CustomProfileSchema = v.strictObject({
  id: v.pipe(v.string(), v.check(isSlug, "must be lower-case letters, digits and single hyphens")),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(100)),
  maxItems: positive(500),
  minItems: v.optional(positive(500)),
  maxBytes: positive(PARTNER_MAX_BYTES),
  title: v.optional(v.strictObject({ min: positive(1000), max: positive(1000) })),
  image: v.optional(
    v.strictObject({
      required: v.boolean(),
      minPx: v.optional(positive(20_000)),
      side: v.optional(v.picklist(["width", "shortest"])),
    }),
  ),
  maxAgeDays: v.optional(positive(36_500)),
  singleLanguage: v.optional(v.boolean()),
  languageWithRegion: v.optional(v.boolean()),
  utcDates: v.optional(v.boolean()),
  descriptionMax: v.optional(positive(10_000)),
  ttlMinutes: v.optional(positive(1440)),
  extensions: v.optional(v.array(v.picklist(["msn", "smartnews", "webfeeds"])), []),
  takedown: v.optional(v.picklist(["msn-expiry", "omit"]), "omit"),
  private: v.optional(v.boolean(), false),
});

export class PartnerConfigError extends Error {
  override name = "PartnerConfigError";
}

export interface PartnerSettings {
  profiles: PartnerProfile[];
  /** Channel language for profiles that want a region (PARTNER_LANGUAGE). */
  language?: string;
  /** SmartNews' snf:logo (SMARTNEWS_LOGO), an absolute http(s) URL; site.ts checks it. */
  smartnewsLogo?: string;
}

const words = (raw: unknown) =>
  (typeof raw === "string" ? raw : "")
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/**
 * PARTNERS (built-in ids to enable), PARTNER_PROFILES (a JSON list of the newsroom's own),
 * PARTNERS_PRIVATE (ids whose feed needs a credential) and PARTNER_LANGUAGE.
 */
export function parsePartnerSettings(vars: Record<string, unknown>): PartnerSettings {
  const byId = new Map(BUILT_IN_PROFILES.map((p) => [p.id, p]));
  const profiles: PartnerProfile[] = [];
  for (const id of words(vars.PARTNERS)) {
    const profile = byId.get(id);
    if (!profile)
      throw new PartnerConfigError(
        `PARTNERS names "${id}", which is not a built-in profile (${[...byId.keys()].join(", ")}); add your own with PARTNER_PROFILES`,
      );
    if (!profiles.some((p) => p.id === id)) profiles.push({ ...profile });
  }
  const custom = typeof vars.PARTNER_PROFILES === "string" ? vars.PARTNER_PROFILES.trim() : "";
  if (custom) {
    let list: unknown;
    try {
      list = JSON.parse(custom);
    } catch (error) {
      throw new PartnerConfigError(`PARTNER_PROFILES is not JSON: ${(error as Error).message}`);
    }
    if (!Array.isArray(list))
      throw new PartnerConfigError("PARTNER_PROFILES must be a JSON list of profiles");
    list.forEach((item, index) => {
      const parsed = v.safeParse(CustomProfileSchema, item);
      if (!parsed.success) {
        const issue = parsed.issues[0];
        const path = issue.path?.map((p) => p.key).join(".") ?? "";
        throw new PartnerConfigError(
          `PARTNER_PROFILES[${index}]${path ? `.${path}` : ""}: ${issue.message}`,
        );
      }
      if (profiles.some((p) => p.id === parsed.output.id))
        throw new PartnerConfigError(
          `PARTNER_PROFILES[${index}].id: "${parsed.output.id}" is used twice`,
        );
      const { minItems, title, image, maxAgeDays, descriptionMax, ttlMinutes, ...rest } =
        parsed.output;
      profiles.push({
        ...rest,
        ...(minItems ? { minItems } : {}),
        ...(title ? { title } : {}),
        ...(image ? { image } : {}),
        ...(maxAgeDays ? { maxAgeDays } : {}),
        ...(descriptionMax ? { descriptionMax } : {}),
        ...(ttlMinutes ? { ttlMinutes } : {}),
      });
    });
  }
  for (const id of words(vars.PARTNERS_PRIVATE)) {
    const profile = profiles.find((p) => p.id === id);
    if (!profile)
      throw new PartnerConfigError(
        `PARTNERS_PRIVATE names "${id}", which PARTNERS does not enable`,
      );
    profile.private = true;
  }
  const given = typeof vars.PARTNER_LANGUAGE === "string" ? vars.PARTNER_LANGUAGE.trim() : "";
  let language: string | undefined;
  if (given) {
    const checked = checkLanguageTag(given);
    if (!checked.ok)
      throw new PartnerConfigError(`PARTNER_LANGUAGE is "${given}": ${checked.message}`);
    language = checked.tag;
  }
  const needsRegion = profiles.find((p) => p.languageWithRegion);
  if (needsRegion && !(language && /-[A-Za-z]{2}\b|-\d{3}\b/.test(language)))
    throw new PartnerConfigError(
      `${needsRegion.name} wants the feed language with a region: set PARTNER_LANGUAGE (for example "ar-PS")`,
    );
  return { profiles, ...(language ? { language } : {}) };
}

/** The secret that holds a private partner's token: PARTNER_TOKEN_MSN, PARTNER_TOKEN_APPLE_NEWS… */
export const partnerTokenName = (id: string): string =>
  `PARTNER_TOKEN_${id.toUpperCase().replaceAll("-", "_")}`;
