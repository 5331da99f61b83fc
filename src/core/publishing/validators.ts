/**
 * HTTP validators of a stored document (RFC 9110 §8.8): the ETag is a hash of the exact
 * bytes; Last-Modified moves only when the bytes change, so a re-render that produces
 * the same document does not make every reader download it again.
 */

export interface Validators {
  etag: string;
  /** RFC 3339. */
  lastModified: string;
}

/**
 * The validators of a document just rendered. The first version is dated by its content
 * (`contentUpdated`), so loading the same articles on any day gives the same headers;
 * later versions are dated when their bytes changed.
 */
export function nextValidators(
  previous: Validators | undefined,
  etag: string,
  contentUpdated: string,
  nowIso: string,
): Validators {
  if (!previous) return { etag, lastModified: contentUpdated };
  if (previous.etag === etag) return previous;
  return { etag, lastModified: nowIso };
}
