/**
 * The scope directory: every category and author that exists (has a member, live or a
 * tombstone not yet compacted) and the highest sequence number given. The writer stores
 * it with every public change; the read path keeps it in memory to answer made-up
 * categories, authors and archive pages with a 404 and no KV read of their own, so a
 * flood of invented paths costs KV nothing and the writer's isolate nothing. Not a
 * public document: `parsePath` never names its path, so no route serves it.
 */
import type { RenderedDoc } from "./documents.ts";
import { openPage } from "./feeds/archive.ts";
import type { CatalogView, ScopeName } from "./publishing/catalog-view.ts";
import type { FeedScope, PublicDoc } from "./urls.ts";

/** Below every path parsePath accepts (`/_/` is no public folder). */
export const SCOPE_DIRECTORY_PATH = "/_/scopes.json";

interface DirectoryJson {
  categories: string[];
  authors: string[];
  maxSeq: number;
}

const PAGE = 1_000;

export function renderScopeDirectory(catalog: CatalogView, updated: string): RenderedDoc {
  const json: DirectoryJson = { categories: [], authors: [], maxSeq: catalog.maxSeq() };
  let after: ScopeName | undefined;
  for (;;) {
    const page = catalog.scopesAfter(after, PAGE);
    for (const name of page)
      (name.kind === "category" ? json.categories : json.authors).push(name.slug);
    if (page.length < PAGE) break;
    after = page[page.length - 1];
  }
  return {
    path: SCOPE_DIRECTORY_PATH,
    body: JSON.stringify(json),
    contentType: "application/json",
    language: "und",
    status: 200,
    updated,
  };
}

export class ScopeDirectory {
  private readonly categories: Set<string>;
  private readonly authors: Set<string>;
  readonly maxSeq: number;

  private constructor(json: DirectoryJson) {
    this.categories = new Set(json.categories);
    this.authors = new Set(json.authors);
    this.maxSeq = json.maxSeq;
  }

  /** The directory in a stored body; undefined if it is not one (then nothing is assumed). */
  static parse(text: string): ScopeDirectory | undefined {
    try {
      const json = JSON.parse(text) as Partial<DirectoryJson>;
      const strings = (v: unknown): v is string[] =>
        Array.isArray(v) && v.every((s) => typeof s === "string");
      if (!strings(json.categories) || !strings(json.authors)) return undefined;
      if (!Number.isSafeInteger(json.maxSeq)) return undefined;
      return new ScopeDirectory(json as DirectoryJson);
    } catch {
      return undefined;
    }
  }

  has(scope: FeedScope): boolean {
    if (scope.kind === "site") return true;
    return (scope.kind === "category" ? this.categories : this.authors).has(scope.slug);
  }

  /**
   * Whether the directory shows that nothing lives at `doc`: a category or author nobody
   * is filed under, an archive page past the open one (of `pageSize` articles). False for
   * every document it does not answer for (see directoryAnswers).
   */
  showsAbsent(doc: PublicDoc, pageSize: number): boolean {
    switch (doc.kind) {
      case "feed":
      case "view":
        return !this.has(doc.scope);
      case "archive":
      case "archive-view":
        return doc.page > openPage({ pageSize, maxSeq: this.maxSeq });
      default:
        return false;
    }
  }
}

/** Documents whose absence the directory can show: scope feeds and views, archive pages. */
export const directoryAnswers = (doc: PublicDoc): boolean =>
  doc.kind === "feed" ||
  doc.kind === "view" ||
  doc.kind === "archive" ||
  doc.kind === "archive-view";
