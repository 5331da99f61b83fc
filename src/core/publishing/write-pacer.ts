/**
 * KV takes at most one write per second to the same key (kv/platform/limits). The site
 * feeds are rewritten by every commit, so commits closer than that would fail their
 * writes and retry. The pacer instead waits until every key of a commit may be written
 * again; a burst of publishes then costs each a short wait, never an error.
 */
export class WritePacer {
  private readonly lastWrite = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<unknown>;

  constructor(
    intervalMs: number,
    now: () => number = Date.now,
    sleep: (ms: number) => Promise<unknown> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.intervalMs = intervalMs;
    this.now = now;
    this.sleep = sleep;
  }

  /** Waits until every key may be written, then counts them as written now. */
  async ready(keys: Iterable<string>): Promise<void> {
    if (this.intervalMs <= 0) return;
    const list = [...keys];
    let earliest = 0;
    for (const key of list)
      earliest = Math.max(earliest, (this.lastWrite.get(key) ?? -Infinity) + this.intervalMs);
    const wait = earliest - this.now();
    if (wait > 0) await this.sleep(wait);
    const at = this.now();
    for (const key of list) {
      this.lastWrite.delete(key);
      this.lastWrite.set(key, at);
    }
    // Keys written longer ago than the interval need no memory (Map order is write order).
    for (const [key, time] of this.lastWrite) {
      if (at - time < this.intervalMs) break;
      this.lastWrite.delete(key);
    }
  }

  /** Keys remembered (for tests: memory stays bounded by one interval's writes). */
  get remembered(): number {
    return this.lastWrite.size;
  }
}
