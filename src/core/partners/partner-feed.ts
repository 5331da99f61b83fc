/**
 * A partner's own RSS feed: the site's newest articles that the partner's rules admit
 * (admission.ts), in the form its profile asks for (namespaces, UTC dates, a short
 * title, its byte limit), with the takedown items MSN reads. Partner feeds always carry
 * the full text, also where public documents carry only summaries (PUBLIC_CONTENT).
 */
import { anchorText } from "../bidi.ts";
import type { CatalogEntry } from "../catalog.ts";
import { formatRfc822, isoFromEpochMs, toEpochMs } from "../dates.ts";
import type { RenderedDoc } from "../documents.ts";
import { buildScopeFeed, RENDERERS } from "../feeds/build-feed.ts";
import type { FeedEntry, RssExtras } from "../feeds/feed-document.ts";
import { rssText, WEBFEEDS_NS, webfeedsElements } from "../feeds/shared.ts";
import { directionOf } from "../language.ts";
import type { Prepared } from "../publishing/kinds.ts";
import { fitToBudget } from "../publishing/limits.ts";
import type { SiteConfig } from "../site.ts";
import { escapeXml as x } from "../text.ts";
import { absolute, articlePath, partnerFeedPath, SITE } from "../urls.ts";
import { admit, partnerLanguage } from "./admission.ts";
import type { PartnerProfile } from "./profiles.ts";

const NAMESPACES = {
  // MSN's ingestion namespace and Dublin Core terms (MSN feed item metadata requirements).
  mi: 'xmlns:mi="http://schemas.ingestion.microsoft.com/common/"',
  dcterms: 'xmlns:dcterms="http://purl.org/dc/terms/"',
  snf: 'xmlns:snf="http://www.smartnews.be/snf"',
  webfeeds: WEBFEEDS_NS,
};

/** At most `max` characters, cut at a word where there is one. */
function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max).join("");
  const space = cut.lastIndexOf(" ");
  return (space > max / 2 ? cut.slice(0, space) : cut).trim();
}

const utc = (iso: string) => isoFromEpochMs(toEpochMs(iso));

/**
 * `live`: the site's newest live articles, newest first (more than the profile takes,
 * so that left-out ones leave room); `retracted`: deleted or expired entries still in
 * the tombstone window, most recent first.
 */
export function renderPartnerFeed(
  site: SiteConfig,
  profile: PartnerProfile,
  live: Prepared[],
  retracted: CatalogEntry[],
  nowMs: number,
): RenderedDoc {
  const language = partnerLanguage(site, profile);
  const msn = profile.extensions.includes("msn");
  const itemExtras = new Map<string, string[]>();
  const entries: FeedEntry[] = [];
  for (const { record, entry } of live) {
    if (entries.length >= profile.maxItems) break;
    const admission = admit(profile, record.article, language, nowMs);
    if (!admission.admitted) continue;
    let admitted = entry;
    if (admission.dropImage) {
      const { image: _, ...rest } = admitted;
      admitted = rest;
    }
    const extras: string[] = [];
    if (admission.shortTitle) {
      if (msn) extras.push(`<mi:shortTitle>${rssText(admission.shortTitle)}</mi:shortTitle>`);
      else
        admitted = {
          ...admitted,
          title: anchorText(admission.shortTitle, directionOf(record.article.language)),
        };
    }
    if (msn) extras.push(`<dcterms:modified>${utc(entry.updated)}</dcterms:modified>`);
    if (extras.length > 0) itemExtras.set(entry.id, extras);
    entries.push(admitted);
  }

  // MSN takedown: the same id, mi:expirationDate in the past and a dcterms:modified newer
  // than the last version's (MSN content expiration and takedown rules).
  const trailingItems =
    profile.takedown === "msn-expiry"
      ? retracted.flatMap((e) => {
          if (!e.deleted) return [];
          const url = absolute(site, articlePath(e.slug));
          const when = utc(e.deleted);
          return [
            `<item><title>${rssText(e.title ?? e.slug)}</title><link>${x(url)}</link><guid isPermaLink="true">${x(url)}</guid><pubDate>${formatRfc822(utc(e.published))}</pubDate><dcterms:modified>${when}</dcterms:modified><mi:expirationDate>${when}</mi:expirationDate></item>`,
          ];
        })
      : [];

  const self = absolute(site, partnerFeedPath(profile.id));
  const smartnewsLogo = profile.extensions.includes("smartnews")
    ? site.partners.smartnewsLogo
    : undefined;
  const description = profile.descriptionMax
    ? shorten(site.description, profile.descriptionMax)
    : site.description;
  const branding = profile.extensions.includes("webfeeds") ? webfeedsElements(site) : [];
  const channel = [
    // SmartNews' documented form, an unqualified <url> inside: the W3C validator reports
    // it (NotInANamespace), so it is written only where SMARTNEWS_LOGO asks for it.
    ...(smartnewsLogo ? [`<snf:logo><url>${x(smartnewsLogo)}</url></snf:logo>`] : []),
    ...branding,
  ];
  const namespaces = [
    ...(msn ? [NAMESPACES.mi, NAMESPACES.dcterms] : []),
    ...(smartnewsLogo ? [NAMESPACES.snf] : []),
    ...(branding.length > 0 ? [NAMESPACES.webfeeds] : []),
  ];
  // RSS writes no tombstones; given to the feed, they date it (its newest change).
  const tombstones = retracted.flatMap((e) =>
    e.deleted ? [{ id: absolute(site, articlePath(e.slug)), when: e.deleted }] : [],
  );

  const render = (some: FeedEntry[]): RenderedDoc[] => {
    const base = buildScopeFeed({ site, scope: SITE, entries: some, tombstones });
    const rssExtras: RssExtras = {
      utcDates: profile.utcDates === true,
      ...(profile.ttlMinutes ? { ttlMinutes: profile.ttlMinutes } : {}),
      channelPubDate: true,
      namespaces,
      channel,
      items: itemExtras,
      trailingItems,
    };
    const doc = {
      ...base,
      description,
      language,
      self: { rss: self, atom: self, json: self },
      links: {},
      rssExtras,
    };
    return [
      {
        path: partnerFeedPath(profile.id),
        body: RENDERERS.rss(doc),
        contentType: "application/rss+xml; charset=utf-8",
        language,
        status: 200,
        updated: doc.updated,
      },
    ];
  };
  return fitToBudget(entries, profile.maxBytes, render)[0] as RenderedDoc;
}
