/**
 * Articles for the archive-scale benchmark (scale.ts): the Arabic full text of
 * articles.ts (the seed article's paragraphs reshuffled per article, with a heading, a
 * link, emphasis and a quotation), trimmed to a body of 4 to 6 KB, filed under a
 * newsroom's worth of desks and bylines: 30 categories and 50 authors instead of the
 * 5 and 4 of the throughput benchmark.
 *
 * Each article has two categories and one author (every fifth a second author), drawn
 * from a seeded generator, so every run and every machine publishes the same bytes.
 * With uniform choice every category feed spans about the newest 750 articles and every
 * author feed about the newest 2,500 (50 items each): what a commit must read and
 * render grows with the number of scopes, not with the archive.
 *
 * Article i is published 30 minutes after article i-1 (100,000 articles span about
 * five and a half years), so later indexes are newer and the site feed shows the
 * highest ones.
 */
import { type BenchArticle, benchArticle } from "./articles.ts";

const FIRST_NAMES = [
  ["سعيد", "saeed"],
  ["محمد", "mohammad"],
  ["رنا", "rana"],
  ["ليلى", "layla"],
  ["خالد", "khaled"],
  ["هدى", "huda"],
  ["يوسف", "yousef"],
  ["سارة", "sara"],
  ["عمر", "omar"],
  ["نادية", "nadia"],
] as const;

const FAMILY_NAMES = [
  ["عريقات", "ereikat"],
  ["أبو خضير", "abu-khdeir"],
  ["الشريف", "al-sharif"],
  ["حداد", "haddad"],
  ["النجار", "al-najjar"],
] as const;

/** 50 bylines: every first name with every family name. */
export const SCALE_AUTHORS = FIRST_NAMES.flatMap(([first, firstSlug]) =>
  FAMILY_NAMES.map(([family, familySlug]) => ({
    name: `${first} ${family}`,
    slug: `${firstSlug}-${familySlug}`,
  })),
);

/** 30 desks. */
export const SCALE_CATEGORIES = [
  ["politics", "سياسة"],
  ["world", "عربي ودولي"],
  ["economy", "اقتصاد"],
  ["washington", "من واشنطن"],
  ["reports", "تقارير"],
  ["jerusalem", "القدس"],
  ["gaza", "غزة"],
  ["west-bank", "الضفة الغربية"],
  ["iraq", "العراق"],
  ["syria", "سوريا"],
  ["lebanon", "لبنان"],
  ["jordan", "الأردن"],
  ["egypt", "مصر"],
  ["gulf", "الخليج"],
  ["europe", "أوروبا"],
  ["opinion", "مقالات الرأي"],
  ["interviews", "حوارات"],
  ["culture", "ثقافة"],
  ["books", "كتب"],
  ["sport", "رياضة"],
  ["football", "كرة القدم"],
  ["health", "صحة"],
  ["science", "علوم"],
  ["technology", "تكنولوجيا"],
  ["education", "تعليم"],
  ["environment", "بيئة"],
  ["society", "مجتمع"],
  ["courts", "محاكم"],
  ["energy", "طاقة"],
  ["archive-photos", "صور من الأرشيف"],
].map(([slug, label]) => ({ slug: slug as string, label: label as string }));

/** Body size range in UTF-8 bytes. */
export const BODY_MIN_BYTES = 4 * 1024;
export const BODY_MAX_BYTES = 6 * 1024;

const START_MS = Date.UTC(2016, 0, 1, 6, 0, 0);
const STEP_MS = 30 * 60_000;

/** mulberry32 (as in articles.ts): deterministic choices per article. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(items: readonly T[], random: () => number): T =>
  items[Math.floor(random() * items.length)] as T;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** RFC 3339 in the desk's +03:00. */
function publishedAt(i: number): string {
  const d = new Date(START_MS + i * STEP_MS + 3 * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00+03:00`;
}

/** Cuts `body` at a word boundary to at most `bytes` UTF-8 bytes, ending with a full stop. */
function trimmed(body: string, bytes: number): string {
  let used = 0;
  let cut = body.length;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    used +=
      code < 0x80
        ? 1
        : code < 0x800
          ? 2
          : code >= 0xd800 && code < 0xdc00
            ? 4
            : code >= 0xdc00 && code < 0xe000
              ? 0
              : 3;
    if (used > bytes - 1) {
      cut = i;
      break;
    }
  }
  const out = cut < body.length ? body.slice(0, body.lastIndexOf(" ", cut)) : body;
  return out.endsWith(".") ? out : `${out}.`;
}

export const scaleSlug = (i: number) => `scale-${pad(i + 1, 6)}`;

/** Article i (0-based) of the scale benchmark. */
export function scaleArticle(i: number): BenchArticle {
  const base = benchArticle(i).article;
  const random = prng(0x5ca1e + i);
  const bodyBytes = BODY_MIN_BYTES + Math.floor(random() * (BODY_MAX_BYTES - BODY_MIN_BYTES));
  const first = pick(SCALE_CATEGORIES, random);
  let second = pick(SCALE_CATEGORIES, random);
  while (second.slug === first.slug) second = pick(SCALE_CATEGORIES, random);
  const author = pick(SCALE_AUTHORS, random);
  let coauthor = pick(SCALE_AUTHORS, random);
  while (coauthor.slug === author.slug) coauthor = pick(SCALE_AUTHORS, random);
  const article: Record<string, unknown> = {
    ...base,
    body: trimmed(base.body as string, bodyBytes),
    authors: i % 5 === 0 ? [author, coauthor] : [author],
    categories: [first, second],
    published: publishedAt(i),
  };
  if (article.image)
    article.image = { ...(article.image as object), url: `/images/scale-${i + 1}.jpg` };
  return { slug: scaleSlug(i), article };
}
