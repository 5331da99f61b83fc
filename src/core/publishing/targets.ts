/**
 * A render target: one unit the writer renders, giving one or more documents (a scope's
 * three feeds and, for the site, the home page; an archive page in three formats; an
 * article page). What a change makes dirty is a set of targets.
 */
import type { FeedScope } from "../urls.ts";

export type Target =
  | { kind: "scope"; scope: FeedScope }
  | { kind: "archive"; page: number }
  | { kind: "article"; slug: string };

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
