/**
 * Reads `content/articles/*.md` (YAML front matter + Markdown or HTML body) and checks
 * each with the same schema and the same markup rules as the admin API.
 *
 * Why Markdown with front matter: it is what newsroom tools and static-site generators
 * already speak, diffs well in review, and keeps the body as the editor wrote it.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { type Article, ArticleSchema, validateArticle } from "../../src/core/article.ts";
import { findUnsafeMarkup } from "../../src/core/html.ts";
import type { SiteConfig } from "../../src/core/site.ts";

export interface ContentArticle {
  file: string;
  slug: string;
  article: Article;
}

export interface ContentError {
  file: string;
  field: string;
  message: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** Names other systems use for our fields: a hint beside the error. */
const USUAL_NAMES: Record<string, string> = {
  date: "published",
  pubDate: "published",
  publishDate: "published",
  description: "summary",
  excerpt: "summary",
  tags: "categories",
  category: "categories",
  author: "authors",
  content: "the body below the front matter",
  lang: "language",
  headline: "title",
};

/** Fields the server decides; a file that sets them would contradict it. */
const SERVER_FIELDS: Record<string, string> = {
  updated:
    "is set by the publisher: an edit moves it to the time of the edit, so readers see the change; remove it (a file cannot backdate a change readers already saw)",
  created: "is set by the publisher when the article is first stored; remove it",
  url: "follows from the file name; remove it",
  status: "follows from draft, published and expires; remove it",
};

const ARTICLE_FIELDS = new Set(
  Object.keys(ArticleSchema.entries).filter((k) => !(k in SERVER_FIELDS)),
);

/** Every field of the front matter that is not one of ours, each with a hint. */
function unknownFields(file: string, meta: Record<string, unknown>): ContentError[] {
  return Object.keys(meta).flatMap((field) => {
    if (field in SERVER_FIELDS) return [{ file, field, message: SERVER_FIELDS[field] as string }];
    if (ARTICLE_FIELDS.has(field) && field !== "body") return [];
    const usual = USUAL_NAMES[field];
    return [
      {
        file,
        field,
        message: `is not a field of an article${usual ? `; did you mean ${usual}?` : ""}`,
      },
    ];
  });
}

/** File names that are articles: `<slug>.md` or `<slug>.markdown`. */
const ARTICLE_FILE = /\.(md|markdown)$/;

/** Parses one file's text; the slug is the file name without `.md` (or `.markdown`). */
export function parseContentFile(
  file: string,
  text: string,
  site: SiteConfig,
): { ok: true; value: ContentArticle } | { ok: false; errors: ContentError[] } {
  const slug = file.replace(/^.*\//, "").replace(ARTICLE_FILE, "");
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    return {
      ok: false,
      errors: [{ file, field: "(file)", message: "must start with a --- front matter block" }],
    };
  }
  let meta: unknown;
  try {
    // YAML 1.2 core schema: dates stay strings, so the schema checks them as written.
    meta = parseYaml(match[1] as string, { schema: "core" });
  } catch (error) {
    return {
      ok: false,
      errors: [{ file, field: "(front matter)", message: (error as Error).message }],
    };
  }
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    return {
      ok: false,
      errors: [{ file, field: "(front matter)", message: "must be a YAML mapping" }],
    };
  }
  const unknown = unknownFields(file, meta as Record<string, unknown>);
  const known = Object.fromEntries(
    Object.entries(meta as Record<string, unknown>).filter(([k]) => ARTICLE_FIELDS.has(k)),
  );
  const input = { ...known, body: (match[2] as string).replace(/\s+$/, "") };
  const checked = validateArticle(input, slug, { site });
  if (!checked.ok || unknown.length > 0) {
    const errors = checked.ok ? [] : checked.errors;
    return {
      ok: false,
      errors: [
        ...errors.map((e) => ({
          file,
          field: e.path,
          message:
            e.path === "slug"
              ? `the file name ${e.message}: rename the file (e.g. esper-iraq-letter.md); the name is the article's permanent URL`
              : e.message,
        })),
        ...unknown,
      ],
    };
  }
  const unsafe = findUnsafeMarkup(site, checked.article.body, checked.article.format);
  if (unsafe.length > 0)
    return { ok: false, errors: unsafe.map((message) => ({ file, field: "body", message })) };
  return { ok: true, value: { file, slug, article: checked.article } };
}

/** The article files under `dir`, in name order. */
export async function contentFilesIn(dir: string): Promise<string[]> {
  const folder = join(dir, "articles");
  const all = (await readdir(folder)).sort();
  // Never skipped silently: a file that is not an article is named.
  for (const name of all.filter((n) => !ARTICLE_FILE.test(n) && !n.startsWith(".")))
    console.warn(`skipping ${join(folder, name)}: articles are <slug>.md or <slug>.markdown`);
  return all.filter((name) => ARTICLE_FILE.test(name)).map((name) => join(folder, name));
}

/** Every article under `dir`, or every error: all files are checked before anything is written. */
export async function readContent(
  dir: string,
  site: SiteConfig,
): Promise<{ articles: ContentArticle[]; errors: ContentError[] }> {
  const articles: ContentArticle[] = [];
  const errors: ContentError[] = [];
  for (const file of await contentFilesIn(dir)) {
    const result = parseContentFile(file, await readFile(file, "utf8"), site);
    if (result.ok) articles.push(result.value);
    else errors.push(...result.errors);
  }
  return { articles, errors };
}
