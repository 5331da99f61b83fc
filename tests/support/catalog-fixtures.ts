/**
 * Catalogue entries and articles for tests of the publishing rules: a seeded generator
 * of varied catalogues (scopes shared between articles, equal publication times, some
 * deleted), so selections are checked on more than hand-picked cases.
 */
import type { Article } from "../../src/core/article.ts";
import type { CatalogEntry } from "../../src/core/catalog.ts";
import { parseSiteConfig } from "../../src/core/site.ts";
import { recordOf, type StoredArticle } from "../../src/core/stored-article.ts";

export const testSite = (vars: Record<string, string> = {}) =>
  parseSiteConfig({
    SITE_URL: "https://news.example",
    SITE_TITLE: "أخبار",
    SITE_DESCRIPTION: "آخر الأخبار",
    SITE_LANGUAGE: "ar",
    ...vars,
  });

export function article(overrides: Partial<Article> = {}): Article {
  return {
    title: "عنوان",
    summary: "ملخص",
    body: "نص.",
    format: "markdown",
    language: "ar",
    authors: [{ name: "كاتب", slug: "writer" }],
    published: "2020-01-07T09:00:00+02:00",
    categories: [{ slug: "politics", label: "سياسة" }],
    ...overrides,
  };
}

/** A stored record of `article(overrides)`, first version, as the writer would store it. */
export function storedRecord(overrides: Partial<Article> = {}, slug = "s", seq = 1): StoredArticle {
  return recordOf(slug, article(overrides), seq);
}

/** Mulberry32: a small seeded generator, so a failing case can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` entries with sequence numbers up to count, a few scopes, ties, every status. */
export function randomCatalog(
  count: number,
  seed: number,
  baseMs = Date.UTC(2024, 0, 1),
): CatalogEntry[] {
  const random = seeded(seed);
  const pick = (n: number) => Math.floor(random() * n);
  return Array.from({ length: count }, (_, i) => {
    // Coarse times (hours) so that equal publication times happen and slugs break ties.
    const published = new Date(baseMs + pick(count * 2) * 3_600_000).toISOString();
    const later = () => new Date(baseMs + (count * 2 + pick(60)) * 86_400_000).toISOString();
    // Mostly live; some deleted or expired, some held (never public: no number), some expiring.
    const roll = random();
    const state: Partial<CatalogEntry> =
      roll < 0.15
        ? { deleted: later() }
        : roll < 0.2
          ? { deleted: later(), expired: true }
          : roll < 0.27
            ? { hold: "scheduled" }
            : roll < 0.3
              ? { hold: "draft" }
              : roll < 0.4
                ? { expires: later() }
                : {};
    const categories = [...new Set([pick(5), pick(5)])].slice(0, 1 + pick(2)).map((c) => ({
      slug: `desk-${c}`,
      label: `قسم ${c} ${pick(3)}`,
    }));
    return {
      slug: `story-${pick(count * 10)}-${i}`,
      seq: state.hold ? 0 : i + 1,
      published,
      updated: published,
      language: "ar",
      categories,
      authors: [{ slug: `author-${pick(4)}`, name: `كاتب ${pick(4)}` }],
      ...state,
    };
  });
}
