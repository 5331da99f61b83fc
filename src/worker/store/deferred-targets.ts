/**
 * Shared documents of bulk changes, kept in the catalogue's `state` table until the
 * deferred rebuild renders them: when the import pauses for DEFERRED_QUIET_MS, and at
 * least every DEFERRED_MAX_MS while it goes on. An import then writes each feed about
 * once every 30 seconds, not once per batch, and a restart loses none of them. Why 30:
 * with 30 categories and 50 authors and full 50-item feeds, a rebuild rewrites about 540
 * documents (80 MiB), seconds of the writer's time, and every rebuild during an import
 * is overwritten by the next. Loading 10,000 articles, measured in alternating runs of
 * one session: 31–34 s with a rebuild every 15 s (a third of the time in rebuilds),
 * 21–22 s with one every 30 s. Feeds trail an import by about half a minute.
 */
import { documentCount } from "../../core/publishing/kinds.ts";
import { type Target, targetKey } from "../../core/publishing/targets.ts";
import type { SqlCatalog } from "./catalog-sql.ts";

export const DEFERRED_QUIET_MS = 1_000;
export const DEFERRED_MAX_MS = 30_000;

const read = (catalog: SqlCatalog): Target[] =>
  JSON.parse(catalog.state("deferred_targets") ?? "[]") as Target[];

export function deferTargets(catalog: SqlCatalog, targets: Target[], nowMs: number): void {
  const known = new Map(read(catalog).map((t) => [targetKey(t), t]));
  for (const t of targets) known.set(targetKey(t), t);
  const first = Number(catalog.state("deferred_since") ?? nowMs);
  catalog.setState("deferred_targets", JSON.stringify([...known.values()]));
  catalog.setState("deferred_since", String(first));
  catalog.setState(
    "deferred_due",
    String(Math.min(nowMs + DEFERRED_QUIET_MS, first + DEFERRED_MAX_MS)),
  );
}

/** When the deferred rebuild is due (epoch ms), if anything waits. */
export function deferredDueMs(catalog: SqlCatalog): number | undefined {
  const due = catalog.state("deferred_due");
  return due === undefined ? undefined : Number(due);
}

/** The due targets that fit `budget` documents (at least one), removed from the store. */
export function takeDueTargets(catalog: SqlCatalog, nowMs: number, budget: number): Target[] {
  if ((deferredDueMs(catalog) ?? Number.POSITIVE_INFINITY) > nowMs) return [];
  const all = read(catalog);
  let docs = 0;
  let take = 0;
  while (take < all.length) {
    const count = documentCount(all[take] as Target);
    if (take > 0 && docs + count > budget) break;
    docs += count;
    take++;
  }
  const rest = all.slice(take);
  catalog.setState("deferred_targets", rest.length > 0 ? JSON.stringify(rest) : undefined);
  catalog.setState("deferred_since", rest.length > 0 ? catalog.state("deferred_since") : undefined);
  catalog.setState("deferred_due", rest.length > 0 ? String(nowMs) : undefined);
  return all.slice(0, take);
}
