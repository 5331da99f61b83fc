/**
 * Conditional GET (RFC 9110 §13). Only the validators stored with each document are
 * used, so a 304 costs no hashing and no body.
 *
 * §13.1.2: "A recipient MUST use the weak comparison function when comparing entity
 * tags for If-None-Match", and §13.2.2 step 3: "When If-None-Match is present … evaluate
 * it; … Otherwise, when the method is GET or HEAD and If-None-Match is not present and
 * If-Modified-Since is present, evaluate the If-Modified-Since precondition".
 */

/** Opaque tag without the weakness prefix, for weak comparison. */
const opaque = (tag: string) => tag.trim().replace(/^W\//, "");

/** True when an If-None-Match value matches `etag` (weak comparison), or is `*`. */
export function ifNoneMatchMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  const target = opaque(etag);
  // Entity tags cannot contain commas inside their quotes (RFC 9110 §8.8.3 etagc).
  return header.split(",").some((candidate) => opaque(candidate) === target);
}

/** True when the resource has not changed since If-Modified-Since (invalid dates are ignored). */
export function notModifiedSince(header: string, lastModifiedMs: number): boolean {
  const since = Date.parse(header);
  if (Number.isNaN(since)) return false;
  // HTTP dates have one-second resolution.
  return Math.floor(lastModifiedMs / 1000) <= Math.floor(since / 1000);
}

/** Whether a GET/HEAD with these request headers should be answered 304. */
export function isNotModified(request: Headers, etag: string, lastModifiedMs: number): boolean {
  const inm = request.get("If-None-Match");
  if (inm !== null) return ifNoneMatchMatches(inm, etag);
  const ims = request.get("If-Modified-Since");
  return ims !== null && notModifiedSince(ims, lastModifiedMs);
}

/** Headers a 304 keeps (§15.4.5): those a 200 would send among these. */
const KEPT_ON_304 = new Set([
  "cache-control",
  "content-location",
  "date",
  "etag",
  "expires",
  "vary",
  "last-modified",
  "link",
]);

/**
 * The headers of the 304 for a response that would have carried `full`. Headers are a
 * plain record, not a Headers object: in workerd every Headers call crosses into native
 * code, and the hottest answer of all (a partner's poll of an unchanged feed) need not
 * build one Headers only to filter it into another. (Measured against the baseline, 304s
 * went from 0.80–0.89 to 0.87–1.13 of its req/s, within this machine's noise.)
 */
export function notModifiedHeaders(full: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in full) {
    if (KEPT_ON_304.has(name.toLowerCase())) headers[name] = full[name] as string;
  }
  return headers;
}
