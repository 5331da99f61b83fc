/** Stable JSON for comparing articles: key order of the input does not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * A fingerprint of an article's content (hex SHA-256 of its canonical JSON): equal for
 * equal articles whatever their key order, so a sync can skip files that did not change.
 */
export async function articleDigest(article: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(article));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}
