/**
 * The files of content/ with each article's digest, validating only what changed since
 * the last scan: a file whose size and modification time match the cache (beside the
 * local state, `.wrangler/state/content-cache.json`, git-ignored) was valid when it was
 * cached, and keeps
 * its digest without being read. 10,000 unchanged files then cost a directory listing
 * and their stats, not 10,000 parses (about 1–2 ms each). The Worker stays the
 * authority: whatever is sent is validated again by the admin API.
 */
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Article } from "../../src/core/article.ts";
import { buildFingerprint } from "../../src/core/documents.ts";
import { articleDigest } from "../../src/core/publishing/canonical.ts";
import type { SiteConfig } from "../../src/core/site.ts";
import { type ContentError, contentFilesIn, parseContentFile } from "./read-content.ts";

export interface ContentFile {
  file: string;
  slug: string;
  digest: string;
  /** Parsed now; absent for a file the cache vouches for (see load()). */
  article?: Article;
}

interface CacheEntry {
  size: number;
  mtimeMs: number;
  slug: string;
  digest: string;
}

interface Cache {
  /** What validation depended on: the site settings and renderers. */
  build: string;
  files: Record<string, CacheEntry>;
}

async function readCache(path: string, build: string): Promise<Cache> {
  try {
    const cache = JSON.parse(await readFile(path, "utf8")) as Cache;
    if (cache.build === build && typeof cache.files === "object") return cache;
  } catch {
    // No cache yet, or an unreadable one: scan everything.
  }
  return { build, files: {} };
}

export async function scanContent(
  dir: string,
  site: SiteConfig,
  cachePath: string,
): Promise<{ files: ContentFile[]; errors: ContentError[] }> {
  const build = buildFingerprint(site);
  const cache = await readCache(cachePath, build);
  const next: Cache = { build, files: {} };
  const files: ContentFile[] = [];
  const errors: ContentError[] = [];
  for (const file of await contentFilesIn(dir)) {
    const { size, mtimeMs } = await stat(file);
    const hit = cache.files[file];
    if (hit && hit.size === size && hit.mtimeMs === mtimeMs) {
      files.push({ file, slug: hit.slug, digest: hit.digest });
      next.files[file] = hit;
      continue;
    }
    const parsed = parseContentFile(file, await readFile(file, "utf8"), site);
    if (!parsed.ok) {
      errors.push(...parsed.errors);
      continue;
    }
    const digest = await articleDigest(parsed.value.article);
    files.push({ file, slug: parsed.value.slug, digest, article: parsed.value.article });
    next.files[file] = { size, mtimeMs, slug: parsed.value.slug, digest };
  }
  if (errors.length === 0) {
    await mkdir(dirname(cachePath), { recursive: true });
    await writeFile(cachePath, JSON.stringify(next));
  }
  return { files, errors };
}

/** The article of a scanned file (parsed again if the cache vouched for it). */
export async function load(file: ContentFile, site: SiteConfig): Promise<Article> {
  if (file.article) return file.article;
  const parsed = parseContentFile(file.file, await readFile(file.file, "utf8"), site);
  if (!parsed.ok)
    throw new Error(
      `${file.file}: ${parsed.errors.map((e) => `${e.field} ${e.message}`).join("; ")}`,
    );
  return parsed.value.article;
}
