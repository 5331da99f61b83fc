/**
 * The two orderings the single writer needs, free of any platform API so that they are
 * tested in Node.
 *
 * - SerialQueue: changes run one at a time, in arrival order.
 * - GroupCommit: a commit runs at most once at a time; every request made while one
 *   runs shares the next one. 30 simultaneous publishes therefore cost a handful of
 *   commits, not 30 (KV allows one write per second per key).
 */

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

export class GroupCommit<T> {
  private running: Promise<T> | undefined;
  private queued: Promise<T> | undefined;
  private readonly commit: () => Promise<T>;

  constructor(commit: () => Promise<T>) {
    this.commit = commit;
  }

  /** Whether a commit is running or waiting to start. */
  get busy(): boolean {
    return this.running !== undefined || this.queued !== undefined;
  }

  /** Resolves with the result of a commit that starts after this call. */
  request(): Promise<T> {
    if (this.queued) return this.queued;
    const after = this.running ?? Promise.resolve();
    const next: Promise<T> = after
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        this.running = next;
        return this.commit();
      })
      .finally(() => {
        if (this.running === next) this.running = undefined;
      });
    this.queued = next;
    return next;
  }
}
