/**
 * The deferred rebuild of a bulk import's shared documents: due one quiet second after
 * the last batch, and never later than DEFERRED_MAX_MS after the first one while batches go on.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Target } from "../../src/core/publishing/targets.ts";
import type { Publisher } from "../../src/worker/publisher.ts";
import { SqlCatalog } from "../../src/worker/store/catalog-sql.ts";
import {
  DEFERRED_MAX_MS,
  DEFERRED_QUIET_MS,
  deferredDueMs,
  deferTargets,
  takeDueTargets,
} from "../../src/worker/store/deferred-targets.ts";

const isolated = (name: string) => env.PUBLISHER.get(env.PUBLISHER.idFromName(name));
const site: Target = { kind: "scope", scope: { kind: "site" } };

describe("deferred shared documents", () => {
  it("are due a quiet second after the last batch, at the latest DEFERRED_MAX_MS after the first", async () => {
    await runInDurableObject(isolated("deferred-cadence"), async (_: Publisher, state) => {
      const catalog = await SqlCatalog.open(state.storage);
      const t0 = 1_000_000;
      deferTargets(catalog, [site], t0);
      expect(deferredDueMs(catalog)).toBe(t0 + DEFERRED_QUIET_MS);
      // Batches keep coming: each pushes the rebuild back, up to the cap.
      for (let t = t0; t < t0 + DEFERRED_MAX_MS; t += 500) deferTargets(catalog, [site], t);
      expect(deferredDueMs(catalog)).toBe(t0 + DEFERRED_MAX_MS);
      expect(takeDueTargets(catalog, t0 + DEFERRED_MAX_MS - 1, 1000)).toEqual([]);
      expect(takeDueTargets(catalog, t0 + DEFERRED_MAX_MS, 1000)).toEqual([site]);
      expect(deferredDueMs(catalog)).toBeUndefined();
      // The next batch starts a new window.
      deferTargets(catalog, [site], t0 + 40_000);
      expect(deferredDueMs(catalog)).toBe(t0 + 40_000 + DEFERRED_QUIET_MS);
    });
  });
});
