/**
 * FNV-1a, 32-bit, over UTF-16 code units, as 8 hex digits: a change detector (build
 * fingerprints), not a security boundary.
 */
export function fnv1aHex(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
