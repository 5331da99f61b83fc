/**
 * Platform limits every stored document must respect (developers.cloudflare.com
 * /kv/platform/limits), checked before anything is written: a document that breaks one
 * would fail its KV write and, before this check, the whole commit with it.
 */

export const KV_KEY_MAX_BYTES = 512;
export const KV_METADATA_MAX_BYTES = 1024;
export const KV_VALUE_MAX_BYTES = 25 * 1024 * 1024;

/**
 * The largest one article may be in any one feed format. Archive pages have fixed
 * boundaries (ARCHIVE_PAGE_SIZE articles each, at most MAX_ARCHIVE_PAGE_SIZE), so this
 * bound is what keeps every page under KV's value limit whatever is published.
 */
export const ITEM_MAX_BYTES = 480 * 1024;
export const MAX_ARCHIVE_PAGE_SIZE = 50;

const encoder = new TextEncoder();
export const utf8Length = (text: string): number => encoder.encode(text).byteLength;

/** What is wrong with storing this document, or undefined if nothing is. */
export function documentLimitProblem(
  key: string,
  metadata: unknown,
  valueBytes: number,
): string | undefined {
  const keyBytes = utf8Length(key);
  if (keyBytes > KV_KEY_MAX_BYTES)
    return `its KV key is ${keyBytes} bytes; KV takes at most ${KV_KEY_MAX_BYTES}`;
  const metaBytes = utf8Length(JSON.stringify(metadata));
  if (metaBytes > KV_METADATA_MAX_BYTES)
    return `its KV metadata is ${metaBytes} bytes; KV takes at most ${KV_METADATA_MAX_BYTES}`;
  if (valueBytes > KV_VALUE_MAX_BYTES)
    return `it is ${valueBytes} bytes; KV takes at most ${KV_VALUE_MAX_BYTES} per value`;
  return undefined;
}

/**
 * The longest prefix of `entries` (newest first) whose rendered documents all fit in
 * `maxBytes`: a feed holds the newest items that fit, and older ones stay reachable
 * through the archive pages. Renders once when everything fits (the usual case), else
 * searches the count in O(log n) renders.
 */
export function fitToBudget<E, D extends { body: string }>(
  entries: E[],
  maxBytes: number,
  render: (entries: E[]) => D[],
): D[] {
  const fits = (docs: D[]) => docs.every((d) => utf8Length(d.body) <= maxBytes);
  const all = render(entries);
  if (fits(all)) return all;
  let low = 0; // renders that fit
  let high = entries.length; // renders that do not
  let best = render([]);
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    const docs = render(entries.slice(0, mid));
    if (fits(docs)) {
      low = mid;
      best = docs;
    } else {
      high = mid;
    }
  }
  return best;
}

/**
 * KV writes one commit may make: Workers allow 1,000 KV operations per invocation, and
 * the rest of the budget is left for the record reads a rebuild makes.
 */
export const COMMIT_KV_WRITES = 800;
/** Articles in one bulk publish: its records and pages, plus the shared documents, fit one commit. */
export const BULK_MAX_ARTICLES = 200;
