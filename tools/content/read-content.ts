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
import { type Article, validateArticle } from "../../src/core/article.ts";
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

/** Parses one file's text; the slug is the file name without `.md`. */
export function parseContentFile(
  file: string,
  text: string,
  site: SiteConfig,
): { ok: true; value: ContentArticle } | { ok: false; errors: ContentError[] } {
  const slug = file.replace(/^.*\//, "").replace(/\.md$/, "");
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
  const input = {
    ...(meta as Record<string, unknown>),
    body: (match[2] as string).replace(/\s+$/, ""),
  };
  const checked = validateArticle(input, slug, { site });
  if (!checked.ok)
    return {
      ok: false,
      errors: checked.errors.map((e) => ({ file, field: e.path, message: e.message })),
    };
  const unsafe = findUnsafeMarkup(site, checked.article.body, checked.article.format);
  if (unsafe.length > 0)
    return { ok: false, errors: unsafe.map((message) => ({ file, field: "body", message })) };
  return { ok: true, value: { file, slug, article: checked.article } };
}

/** Every article under `dir`, or every error: all files are checked before anything is written. */
export async function readContent(
  dir: string,
  site: SiteConfig,
): Promise<{ articles: ContentArticle[]; errors: ContentError[] }> {
  const folder = join(dir, "articles");
  const names = (await readdir(folder)).filter((name) => name.endsWith(".md")).sort();
  const articles: ContentArticle[] = [];
  const errors: ContentError[] = [];
  for (const name of names) {
    const file = join(folder, name);
    const result = parseContentFile(file, await readFile(file, "utf8"), site);
    if (result.ok) articles.push(result.value);
    else errors.push(...result.errors);
  }
  return { articles, errors };
}
