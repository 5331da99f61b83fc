/**
 * Whether a partner's rules let an article into that partner's feed, and in what form:
 * the one home of every per-article rule of the profiles. The partner feed renders what
 * this admits, and the admin API answers with the same reasons as `warnings`, so an
 * editor sees why an article is missing from a partner's feed and what to change.
 */
import type { Article } from "../article.ts";
import { primaryLanguage } from "../language.ts";
import type { SiteConfig } from "../site.ts";
import type { PartnerProfile } from "./profiles.ts";

export interface Admission {
  admitted: boolean;
  /** The title is out of the partner's range: this short title is sent beside it. */
  shortTitle?: string;
  /** The lead image is below the partner's minimum: the item goes without it. */
  dropImage?: boolean;
  /** Why the article is left out, or what the partner will not get (empty: nothing). */
  reasons: string[];
}

/** The channel language a partner gets: with a region where its profile needs one. */
export function partnerLanguage(site: SiteConfig, profile: PartnerProfile): string {
  return profile.languageWithRegion && site.partners.language
    ? site.partners.language
    : site.language;
}

/** Characters as a person counts them (code points, not UTF-16 units). */
const length = (text: string) => [...text].length;

type Admissible = Pick<Article, "title" | "language" | "published" | "image"> & {
  shortTitle?: string;
};

export function admit(
  profile: PartnerProfile,
  article: Admissible,
  feedLanguage: string,
  nowMs: number,
): Admission {
  const reasons: string[] = [];
  let admitted = true;
  let shortTitle: string | undefined;
  let dropImage = false;

  const { title } = profile;
  if (title) {
    const inRange = (t: string) => length(t) >= title.min && length(t) <= title.max;
    if (!inRange(article.title)) {
      if (article.shortTitle && inRange(article.shortTitle)) shortTitle = article.shortTitle;
      else {
        admitted = false;
        reasons.push(
          `${profile.name} takes titles of ${title.min}–${title.max} characters; this one has ${length(article.title)}${article.shortTitle ? ` and the short title ${length(article.shortTitle)}` : ""}: give a shortTitle in that range`,
        );
      }
    }
  }

  const { image } = profile;
  if (image) {
    const img = article.image;
    const size = img?.width && img?.height ? { width: img.width, height: img.height } : undefined;
    const measured = size
      ? image.side === "shortest"
        ? Math.min(size.width, size.height)
        : size.width
      : undefined;
    const tooSmall = image.minPx !== undefined && measured !== undefined && measured < image.minPx;
    const side = image.side === "shortest" ? "on its shortest side" : "wide";
    if (image.required && !img) {
      admitted = false;
      reasons.push(`${profile.name} takes only articles with a lead image: add an image`);
    } else if (image.required && tooSmall) {
      admitted = false;
      reasons.push(
        `${profile.name} takes lead images of at least ${image.minPx} px ${side}; this one is ${measured} px`,
      );
    } else if (tooSmall) {
      dropImage = true;
      reasons.push(
        `${profile.name} uses lead images of at least ${image.minPx} px ${side}; this one (${measured} px) is sent without it`,
      );
    }
  }

  if (profile.maxAgeDays !== undefined) {
    const ageDays = (nowMs - Date.parse(article.published)) / 86_400_000;
    if (ageDays > profile.maxAgeDays) {
      admitted = false;
      reasons.push(
        `${profile.name} takes articles of the last ${profile.maxAgeDays} days; this one is ${Math.floor(ageDays)} days old`,
      );
    }
  }

  if (
    profile.singleLanguage &&
    primaryLanguage(article.language) !== primaryLanguage(feedLanguage)
  ) {
    admitted = false;
    reasons.push(
      `${profile.name} takes one language per feed (${feedLanguage}); this article is in ${article.language}`,
    );
  }

  return {
    admitted,
    reasons,
    ...(shortTitle ? { shortTitle } : {}),
    ...(dropImage ? { dropImage } : {}),
  };
}

export interface PartnerWarning {
  /** The profile's id (its feed is /partners/<id>/feed.xml). */
  partner: string;
  message: string;
}

/** What each enabled partner will not take of this article, for the admin API's answer. */
export function partnerWarnings(
  site: SiteConfig,
  article: Admissible,
  nowMs: number,
): PartnerWarning[] {
  return site.partners.profiles.flatMap((profile) =>
    admit(profile, article, partnerLanguage(site, profile), nowMs).reasons.map((message) => ({
      partner: profile.id,
      message,
    })),
  );
}
