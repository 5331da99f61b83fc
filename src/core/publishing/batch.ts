/**
 * Planning a publish of one or many articles: each article is taken through the rules of
 * changes.ts and the checks of prepare.ts, in order, seeing the earlier articles of the
 * same batch. One that cannot be published refuses the whole batch, naming its index;
 * nothing is decided about storage here (the writer queues the plan as one change).
 */
import type { Article, FieldError } from "../article.ts";
import { type ArticleStatus, type CatalogEntry, statusOf } from "../catalog.ts";
import type { SiteConfig } from "../site.ts";
import type { StoredArticle } from "../stored-article.ts";
import { articleDigest } from "./canonical.ts";
import { applyPublish, type PublishStatus } from "./changes.ts";
import { targetsDirtiedBy } from "./kinds.ts";
import type { Target } from "./targets.ts";

export interface BatchItem {
  slug: string;
  article: Article;
  /**
   * The body's HTML, as the Worker rendered it while checking the article (renderBodyHtml
   * with the configuration and renderer of `build`), so the writer need not parse it again.
   */
  rendered?: { build: string; html: string };
}

export interface BatchItemResult {
  slug: string;
  status: PublishStatus;
  record: StoredArticle;
  articleStatus: ArticleStatus;
}

/** What the planner needs to know of what is stored (and queued). */
export interface BatchLookups {
  entry(slug: string): CatalogEntry | undefined;
  record(slug: string): Promise<StoredArticle | undefined>;
  /** Why a record cannot be published (see publishProblems); empty when it can. */
  problems(record: StoredArticle): FieldError[];
}

export type BatchPlan =
  | { ok: false; errors: (FieldError & { index: number })[] }
  | {
      ok: true;
      results: BatchItemResult[];
      records: Map<string, StoredArticle>;
      entries: Map<string, CatalogEntry>;
      targets: Target[];
      /** The sequence number the next new article gets after this batch. */
      nextSeq: number;
    };

export async function planBatch(
  items: BatchItem[],
  lookups: BatchLookups,
  context: { site: SiteConfig; nextSeq: number; nowIso: string },
): Promise<BatchPlan> {
  const errors: (FieldError & { index: number })[] = [];
  const results: BatchItemResult[] = [];
  const records = new Map<string, StoredArticle>();
  const entries = new Map<string, CatalogEntry>();
  const targets: Target[] = [];
  let { nextSeq } = context;
  for (const [index, { slug, article }] of items.entries()) {
    if (entries.has(slug) || results.some((r) => r.slug === slug)) {
      errors.push({
        index,
        path: "slug",
        message: `"${slug}" appears more than once in the batch`,
      });
      continue;
    }
    const before = lookups.entry(slug);
    // Any status but deleted keeps its record: drafts, scheduled and expired stories too.
    const previous =
      before && statusOf(before) !== "deleted" ? await lookups.record(slug) : undefined;
    const digest = await articleDigest(article);
    const outcome = applyPublish({
      slug,
      article,
      before,
      previous,
      nextSeq,
      nowIso: context.nowIso,
      digest,
    });
    if (outcome.status === "unchanged") {
      const articleStatus = before ? statusOf(before) : "live";
      results.push({ slug, status: "unchanged", record: outcome.record, articleStatus });
      continue;
    }
    const problems = lookups.problems(outcome.record);
    if (problems.length > 0) {
      errors.push(...problems.map((p) => ({ index, ...p })));
      continue;
    }
    if (outcome.entry.seq === nextSeq) nextSeq += 1;
    records.set(slug, outcome.record);
    entries.set(slug, outcome.entry);
    targets.push(...targetsDirtiedBy(context.site, before, outcome.entry));
    results.push({
      slug,
      status: outcome.status,
      record: outcome.record,
      articleStatus: statusOf(outcome.entry),
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, results, records, entries, targets, nextSeq };
}
