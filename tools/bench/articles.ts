/**
 * Deterministic benchmark articles: realistic Arabic full text built from the seed news
 * article, so every run (and every machine) renders and serves the same bytes.
 *
 * Why vary instead of repeating one article: identical bodies would let string interning
 * and branch prediction flatter both renderers, and identical titles would make every
 * feed item look the same. Each article reorders the seed's paragraphs, rotates its
 * authors, categories and dateline, and carries the Markdown a newsroom body really has
 * (a heading, a link, emphasis, a quotation), at about 6 KB of UTF-8 text.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseContentFile } from "../content/read-content.ts";
import { readSiteConfigOrExit } from "../wrangler-config.ts";

/** The seed article as content/ publishes it (shared/seed/article-ar.txt, verbatim). */
export const SEED_PATH = join(
  import.meta.dirname,
  "../../content/articles/esper-denies-iraq-withdrawal-letter.md",
);

/** UTF-8 size of each generated body (Markdown). */
export const TARGET_BODY_BYTES = 6 * 1024;

const AUTHORS = [
  { name: "سعيد عريقات", slug: "saeed-ereikat" },
  { name: "محمد أبو خضير", slug: "mohammad-abu-khdeir" },
  { name: "رنا الشريف", slug: "rana-al-sharif" },
  { name: "Sarah Haddad", slug: "sarah-haddad", url: "https://example.org/sarah" },
];

const CATEGORIES = [
  { slug: "politics", label: "سياسة" },
  { slug: "world", label: "عربي ودولي" },
  { slug: "economy", label: "اقتصاد" },
  { slug: "washington", label: "من واشنطن" },
  { slug: "reports", label: "تقارير" },
];

const DATELINES = ["واشنطن", "بغداد", "القدس", "عمّان", "بيروت"];

const HEADINGS = ["خلفية", "ردود فعل", "السياق الإقليمي", "ما التالي"];

/** mulberry32: a tiny seeded PRNG, so shuffles are the same on every run. */
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

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, "utf8");
const pad = (n: number) => String(n).padStart(2, "0");

/** Arabic-Indic digits, as Arabic newsrooms write numbers in headlines. */
const arabicDigits = (n: number) => String(n).replace(/\d/g, (d) => "٠١٢٣٤٥٦٧٨٩"[Number(d)] ?? d);

/** `published` for article i: one every 3 hours from a fixed start, in the desk's +03:00. */
function publishedAt(i: number): string {
  const ms = Date.UTC(2020, 0, 1, 6, 0, 0) + i * 3 * 3600_000 + 3 * 3600_000;
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00+03:00`;
}

interface Seed {
  title: string;
  paragraphs: string[];
}

let seedCache: Seed | undefined;

function seed(): Seed {
  if (!seedCache) {
    const parsed = parseContentFile(
      SEED_PATH,
      readFileSync(SEED_PATH, "utf8"),
      readSiteConfigOrExit(),
    );
    if (!parsed.ok) throw new Error(`${SEED_PATH}: ${JSON.stringify(parsed.errors)}`);
    const { title, body } = parsed.value.article;
    const paragraphs = body
      .split(/\n{2,}/)
      .map((b) => b.trim())
      .filter(Boolean);
    if (paragraphs.length < 4) throw new Error(`${SEED_PATH} has too few paragraphs`);
    seedCache = { title, paragraphs };
  }
  return seedCache;
}

/** The Markdown body of article i: shuffled seed paragraphs plus newsroom markup, ~6 KB. */
function bodyOf(i: number, random: () => number): string {
  const { paragraphs } = seed();
  const order = shuffled(paragraphs, random);
  const blocks: string[] = [];
  let bytes = 0;
  for (let k = 0; bytes < TARGET_BODY_BYTES; k++) {
    let p = order[k % order.length] as string;
    if (k === 1) p = `**${p.slice(0, 40)}**${p.slice(40)}`;
    if (k === 2) p = `${p} ([القدس دوت كوم](https://www.alquds.com/ar/articles/${i + 1}))`;
    if (k === 4) p = `> ${p}`;
    if (k === 3) blocks.push(`## ${HEADINGS[i % HEADINGS.length]}`);
    blocks.push(p);
    bytes += utf8Bytes(p) + 2;
  }
  // Trim the last paragraph so bodies are close to the target, not up to 700 bytes over.
  let body = blocks.join("\n\n");
  while (utf8Bytes(body) > TARGET_BODY_BYTES + 200) body = body.slice(0, body.lastIndexOf(" "));
  return `${body}.`;
}

export interface BenchArticle {
  slug: string;
  /** The admin API's JSON body (src/core/article.ts). */
  article: Record<string, unknown>;
}

/** Article i (0-based); later indexes are published later. */
export function benchArticle(i: number): BenchArticle {
  const random = prng(0x5eed + i);
  const { title, paragraphs } = seed();
  const first = paragraphs[i % paragraphs.length] as string;
  const summary = `${first.split(/[.،]/)[0]?.slice(0, 240)}…`;
  const author = AUTHORS[i % AUTHORS.length] as (typeof AUTHORS)[number];
  const second = AUTHORS[(i + 1) % AUTHORS.length] as (typeof AUTHORS)[number];
  const article: Record<string, unknown> = {
    title: `${title} (${arabicDigits(i + 1)})`,
    summary,
    body: bodyOf(i, random),
    format: "markdown",
    language: "ar",
    authors: i % 5 === 0 ? [author, second] : [author],
    dateline: DATELINES[i % DATELINES.length],
    published: publishedAt(i),
    categories: [CATEGORIES[i % CATEGORIES.length], CATEGORIES[(i + 2) % CATEGORIES.length]],
  };
  // One article in three has a lead image (enclosure / media:content / image paths).
  if (i % 3 === 0) {
    article.image = {
      url: `/images/bench-${i + 1}.jpg`,
      type: "image/jpeg",
      width: 1200,
      height: 675,
      length: 150_000 + i,
      alt: "صورة أرشيفية من المؤتمر الصحفي",
    };
  }
  return { slug: `bench-article-${String(i + 1).padStart(4, "0")}`, article };
}

/** Articles 0..count-1. */
export function benchArticles(count: number): BenchArticle[] {
  return Array.from({ length: count }, (_, i) => benchArticle(i));
}
