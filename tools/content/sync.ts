/**
 * content/ as a sync: the Worker's articles become what the files say. Files whose
 * article the Worker already holds unchanged (same digest, see articleDigest) are not
 * sent; the rest go in batches through the bulk endpoint (PUT /api/articles), the same
 * write path as every other publish; with `prune`, articles no file names any more are
 * deleted. The first refusal by authentication or the server stops the sync with one
 * message, and nothing after it is sent.
 */
import type { Article } from "../../src/core/article.ts";
import { BULK_MAX_ARTICLES } from "../../src/core/publishing/limits.ts";
import type { SiteConfig } from "../../src/core/site.ts";
import { type ContentFile, load } from "./scan.ts";

type Outgoing = { file: string; slug: string; article: Article };

export interface SyncTarget {
  /** The Worker's origin, e.g. http://127.0.0.1:8787 or https://feeds.example.com. */
  base: string | URL;
  token: string;
}

export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  retracted: number;
  /** Articles the Worker holds that no file names (deleted only with `prune`). */
  orphans: string[];
}

export class SyncError extends Error {
  override name = "SyncError";
}

interface RefusedBody {
  error: { message: string; fields?: { path: string; message: string }[] };
}

class RefusedBatch extends Error {
  readonly body: RefusedBody;
  constructor(body: RefusedBody) {
    super(body.error.message);
    this.body = body;
  }
}

/** Requests in flight: enough to overlap upload and commit, few enough for one writer. */
const IN_FLIGHT = 2;

async function call(target: SyncTarget, path: string, init: RequestInit = {}): Promise<unknown> {
  const url = new URL(path, target.base);
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      headers: {
        ...(init.body ? { "Content-Type": "application/json" } : {}),
        Authorization: `Bearer ${target.token}`,
      },
    });
  } catch (error) {
    throw new SyncError(`cannot reach ${url.origin}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 503) {
    throw new SyncError(
      `${url.origin} refused the admin token (HTTP ${response.status}): give the deployment's ADMIN_TOKEN (locally it is in .dev.vars)`,
    );
  }
  if (response.status === 422 && init.method === "PUT") {
    // A batch refused whole: say which files, by the index each field error names.
    throw new RefusedBatch(JSON.parse(text) as RefusedBody);
  }
  if (!response.ok && response.status !== 404) {
    throw new SyncError(
      `${init.method ?? "GET"} ${url.pathname} answered HTTP ${response.status}: ${text.slice(0, 2000)}`,
    );
  }
  return response.status === 204 || response.status === 404 ? undefined : JSON.parse(text);
}

/** Every digest the Worker holds, by slug (articles of every status but deleted). */
export async function remoteDigests(target: SyncTarget): Promise<Map<string, string | null>> {
  const digests = new Map<string, string | null>();
  let path: string | null = "/api/digests?limit=1000";
  while (path) {
    const page = (await call(target, path)) as {
      digests: Record<string, string | null>;
      next: string | null;
    };
    for (const [slug, digest] of Object.entries(page.digests)) digests.set(slug, digest);
    path = page.next;
  }
  return digests;
}

export interface SyncPlan {
  /** Files whose article the Worker does not hold as it is. */
  changed: ContentFile[];
  unchanged: number;
  /** Articles the Worker holds that no file names. */
  orphans: string[];
}

/** What a sync would do, decided before anything is sent. */
export async function planSync(files: ContentFile[], target: SyncTarget): Promise<SyncPlan> {
  const remote = await remoteDigests(target);
  const changed = files.filter((f) => remote.get(f.slug) !== f.digest);
  const named = new Set(files.map((f) => f.slug));
  const orphans = [...remote.keys()].filter((slug) => !named.has(slug)).sort();
  return { changed, unchanged: files.length - changed.length, orphans };
}

export async function applySync(
  plan: SyncPlan,
  site: SiteConfig,
  target: SyncTarget,
  options: { prune?: boolean; progress?: (done: number, total: number) => void } = {},
): Promise<SyncSummary> {
  const summary: SyncSummary = {
    created: 0,
    updated: 0,
    unchanged: plan.unchanged,
    retracted: 0,
    orphans: plan.orphans,
  };
  const changed: Outgoing[] = [];
  for (const f of plan.changed)
    changed.push({ file: f.file, slug: f.slug, article: await load(f, site) });
  const batches: Outgoing[][] = [];
  for (let i = 0; i < changed.length; i += BULK_MAX_ARTICLES)
    batches.push(changed.slice(i, i + BULK_MAX_ARTICLES));
  let done = 0;
  let next = 0;
  options.progress?.(0, changed.length);
  async function lane(): Promise<void> {
    while (next < batches.length) {
      const batch = batches[next++] as Outgoing[];
      let answer: { created: number; updated: number; unchanged: number };
      try {
        answer = (await call(target, "/api/articles", {
          method: "PUT",
          body: JSON.stringify({ articles: batch.map((a) => ({ slug: a.slug, ...a.article })) }),
        })) as typeof answer;
      } catch (error) {
        if (!(error instanceof RefusedBatch)) throw error;
        const lines = (error.body.error.fields ?? []).map(({ path, message }) => {
          const [, index, field] = /^articles\.(\d+)\.?(.*)$/.exec(path) ?? [];
          const file = index === undefined ? "(batch)" : batch[Number(index)]?.file;
          return `  ${file}: ${field || path} ${message}`;
        });
        throw new SyncError(`${error.body.error.message}\n${lines.join("\n")}`);
      }
      summary.created += answer.created;
      summary.updated += answer.updated;
      summary.unchanged += answer.unchanged;
      done += batch.length;
      options.progress?.(done, changed.length);
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  if (options.prune) {
    for (const slug of plan.orphans) {
      await call(target, `/api/articles/${slug}`, { method: "DELETE" });
      summary.retracted++;
    }
  }
  return summary;
}
