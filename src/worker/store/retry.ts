/**
 * KV refuses more than one write per second to the same key (and can fail transiently);
 * group commit makes that rare, and a short backoff covers the rest.
 */
export async function withRetries<T>(
  write: () => Promise<T>,
  attempts = 3,
  delayMs = 1100,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
    }
  }
}
