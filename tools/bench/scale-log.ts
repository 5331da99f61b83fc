/**
 * What the instrumented bundle (scale-worker.ts) records, shared with the Node side
 * (scale.ts, scale-report.ts), which cannot import the Worker module itself.
 */
export interface KvOps {
  reads: number;
  /** Keys fetched by those reads (a bulk get fetches up to 100). */
  keysRead: number;
  writes: number;
  /** Bytes of the values written. */
  bytesWritten: number;
  /** Of those, bytes of documents (`doc:` keys; the rest are article records). */
  docBytesWritten: number;
  deletes: number;
  lists: number;
}

export interface CommitLog {
  /** ms since the Publisher started. */
  at: number;
  ms: number;
  inAlarm: boolean;
  records: number;
  documents: number;
  kv: KvOps;
  phases: Record<string, number>;
  /** UTF-16 code units of the most rendered documents one store() call was given (alive at once). */
  heldDocChars: number;
}

export interface AlarmLog {
  at: number;
  ms: number;
  commits: number;
  documents: number;
  kv: KvOps;
}

/** One publishMany call: the checks before queueing, then the wait for its commit. */
export interface PublishLog {
  /** When it returned, ms since the isolate's probe started. */
  endAt: number;
  items: number;
  /** Waiting for earlier changes' checks (the Publisher checks one change at a time). */
  queuedMs: number;
  /** Checking and applying the change (digest, Markdown, pre-publish renders). */
  checksMs: number;
  /** From queued to committed: earlier commits, then its own. */
  commitWaitMs: number;
}

/** One request to the Worker: its handler time, and how much of it waited on the Publisher. */
export interface RequestLog {
  /** When the handler returned, ms since the isolate's probe started. */
  endAt: number;
  method: string;
  path: string;
  ms: number;
  publisherMs: number;
}

export interface BenchLog {
  commits: CommitLog[];
  alarms: AlarmLog[];
  publishes: PublishLog[];
  requests: RequestLog[];
  /** Operations outside any commit or alarm. */
  outside: KvOps;
}

export const noOps = (): KvOps => ({
  reads: 0,
  keysRead: 0,
  writes: 0,
  bytesWritten: 0,
  docBytesWritten: 0,
  deletes: 0,
  lists: 0,
});
export const kvOpsOf = (ops: KvOps) => ops.reads + ops.writes + ops.deletes + ops.lists;
export const emptyLog = (): BenchLog => ({
  commits: [],
  alarms: [],
  publishes: [],
  requests: [],
  outside: noOps(),
});
