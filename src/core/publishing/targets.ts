/**
 * A render target: one unit the writer renders, giving one or more documents (a scope's
 * three feeds and, for the site, the home page; an archive page in three formats; an
 * article page; the search engines' sitemaps and robots.txt). What a change makes dirty
 * is a set of targets.
 */
import type { FeedScope } from "../urls.ts";

export type Target =
  | { kind: "scope"; scope: FeedScope }
  | { kind: "archive"; page: number }
  | { kind: "article"; slug: string }
  /** The sitemap index, the Google News sitemap and robots.txt. */
  | { kind: "search" }
  /** Child sitemap `page` (SITEMAP_PAGE_SIZE articles by sequence number). */
  | { kind: "sitemap"; page: number }
  /** A partner's feed (partners/profiles.ts). */
  | { kind: "partner"; id: string }
  /** The scope directory the read path answers made-up paths from (scope-directory.ts). */
  | { kind: "directory" };

export function targetKey(target: Target): string {
  switch (target.kind) {
    case "scope":
      return target.scope.kind === "site"
        ? "scope:site"
        : `scope:${target.scope.kind}:${target.scope.slug}`;
    case "archive":
      return `archive:${target.page}`;
    case "article":
      return `article:${target.slug}`;
    case "search":
      return "search";
    case "sitemap":
      return `sitemap:${target.page}`;
    case "partner":
      return `partner:${target.id}`;
    case "directory":
      return "directory";
  }
}

/** Targets waiting for the next rebuild, without duplicates, in the order first added. */
export class DirtySet {
  private readonly targets = new Map<string, Target>();

  add(...targets: Target[]): void {
    for (const t of targets) {
      const key = targetKey(t);
      if (!this.targets.has(key)) this.targets.set(key, t);
    }
  }

  merge(other: DirtySet): void {
    this.add(...other.targets.values());
  }

  get empty(): boolean {
    return this.targets.size === 0;
  }

  list(): Target[] {
    return [...this.targets.values()];
  }
}
