/**
 * Bench-only Worker entry for the archive-scale benchmark (scale.ts): the real app,
 * unchanged, with an instrumented Publisher that counts every KV operation it makes and
 * times the phases of each commit. Production code is untouched: the class below extends
 * the real Publisher and wraps its methods from outside; the timings and the heap figures
 * that scale.ts reports as results come from the real bundle, this one only explains them.
 *
 * What is recorded, per commit (the Publisher's group commit, see publisher.ts):
 *   - KV operations, as Workers count them against the 1,000 per invocation: a `get` of
 *     many keys is one operation (the keys are counted beside it), every `put`,
 *     `delete` and `list` is one;
 *   - how many records and documents it wrote;
 *   - wall time of its phases: waiting for the write pacer (records, then documents),
 *     writing records, catalogue SQL, reading records, preparing them (Markdown and
 *     sanitising), planning and rendering, and storing documents (hash, KV put,
 *     validators).
 * Per alarm invocation (a full re-render batch), the operations and time of the whole
 * invocation, commits included. Operations made outside any commit or alarm (a bulk
 * publish reading the records it updates, admin reads) are counted apart.
 *
 * Per bulk or single publish (publishMany), the time it waited for earlier changes'
 * checks, its own checks (digest, Markdown, the pre-publish renders of prepare.ts), and
 * the wait for its commit. Per Worker request, the handler's time and how much of it
 * was spent waiting on the Publisher (the rest is the Worker's own work: parsing and
 * validating the body). The Worker and the Publisher share one isolate locally, so one
 * module-level log holds both.
 *
 * RPC for scale.ts: `benchLog(reset)`, `benchMemory()`, `benchIsolateMark()` (reads a
 * global that scale.ts sets through the V8 inspector: proof that the inspector target it
 * measures is the isolate this Durable Object runs in), and `benchKvPutProbe(n, bytes)`
 * (n concurrent puts of that size through the same binding: the local KV simulator's
 * own speed, to tell it apart from the Publisher's work).
 */
import type { Env } from "../../src/worker/env.ts";
import app from "../../src/worker/index.ts";
import { Publisher as RealPublisher } from "../../src/worker/publisher.ts";
import { DocumentWriter } from "../../src/worker/store/document-writer.ts";
import {
  type AlarmLog,
  type BenchLog,
  type CommitLog,
  emptyLog,
  type KvOps,
  noOps,
  type PublishLog,
} from "./scale-log.ts";

/** At most this many commits are kept (500 bulk commits load 100,000 articles). */
const MAX_LOG = 5_000;

class Probe {
  readonly started = Date.now();
  log: BenchLog = emptyLog();
  commit: CommitLog | undefined;
  /** The publishMany call about to enter the Publisher's serial queue. */
  entering: { log: PublishLog; began: number } | undefined;
  alarm: AlarmLog | undefined;
  inStore = false;
  /** KV puts of documents (`doc:` keys) since the isolate started. */
  docPuts = 0;

  count(kind: keyof KvOps, n = 1): void {
    const buckets = [this.commit?.kv, this.alarm?.kv].filter((b): b is KvOps => !!b);
    if (buckets.length === 0) buckets.push(this.log.outside);
    for (const b of buckets) b[kind] += n;
  }

  phase(name: string, ms: number): void {
    if (!this.commit) return;
    this.commit.phases[name] = (this.commit.phases[name] ?? 0) + ms;
  }

  push<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > MAX_LOG) list.shift();
  }
}

function countingKv(kv: KVNamespace, probe: Probe): KVNamespace {
  return new Proxy(kv, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== "function") return value;
      // Bound to the real binding: workerd's native methods reject a Proxy as `this`.
      return (...args: unknown[]) => {
        if (property === "get" || property === "getWithMetadata") {
          probe.count("reads");
          probe.count("keysRead", Array.isArray(args[0]) ? args[0].length : 1);
        } else if (property === "put") {
          probe.count("writes");
          const value = args[1];
          const bytes =
            typeof value === "string"
              ? new TextEncoder().encode(value).byteLength
              : ((value as ArrayBufferLike | ArrayBufferView | null)?.byteLength ?? 0);
          probe.count("bytesWritten", bytes);
          if (String(args[0]).startsWith("doc:")) {
            probe.count("docBytesWritten", bytes);
            probe.docPuts += 1;
          }
        } else if (property === "delete") probe.count("deletes");
        else if (property === "list") probe.count("lists");
        return value.apply(object, args);
      };
    },
  });
}

/** The private parts of the real Publisher that are wrapped (TypeScript privacy only). */
interface Internals {
  records: {
    read(slugs: string[]): Promise<Map<string, unknown>>;
    write(records: Map<string, unknown>): void;
    cache: { size: number; totalBytes: number };
  };
  pacer: { ready(keys: Iterable<string>): Promise<void> };
  changes: { run<T>(task: () => Promise<T>): Promise<T> };
  catalog: Record<string, unknown> | undefined;
}

type AnyFn = (...args: unknown[]) => unknown;

/** One probe per isolate: the Worker's requests and the Publisher's commits share it. */
const probe = new Probe();

/** A Publisher stub whose calls add their time to `timing.publisherMs`. */
function timedStub<T extends object>(stub: T, timing: { publisherMs: number }): T {
  return new Proxy(stub, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const began = performance.now();
        // Reflect.apply: on an RPC stub, `value.apply` would be a remote method "apply".
        return Promise.resolve(Reflect.apply(value, object, args)).finally(() => {
          timing.publisherMs += performance.now() - began;
        });
      };
    },
  });
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const began = performance.now();
    const timing = { publisherMs: 0 };
    const namespace = env.PUBLISHER;
    const publisher = new Proxy(namespace, {
      get(object, property) {
        const value = Reflect.get(object, property, object);
        if (typeof value !== "function") return value;
        if (property !== "get") return value.bind(object);
        return (...args: unknown[]) =>
          timedStub(Reflect.apply(value, object, args) as object, timing);
      },
    });
    const timedEnv = new Proxy(env, {
      get: (object, property) =>
        property === "PUBLISHER" ? publisher : Reflect.get(object, property, object),
    });
    const response = await app.fetch(request, timedEnv, ctx);
    const { pathname } = new URL(request.url);
    if (pathname.startsWith("/api/"))
      probe.push(probe.log.requests, {
        endAt: Date.now() - probe.started,
        method: request.method,
        path: pathname,
        ms: performance.now() - began,
        publisherMs: timing.publisherMs,
      });
    return response;
  },
} satisfies ExportedHandler<Env>;

export class Publisher extends RealPublisher {
  constructor(ctx: DurableObjectState, env: Env) {
    const articles = countingKv(env.ARTICLES, probe);
    super(
      ctx,
      new Proxy(env, {
        get: (object, property) =>
          property === "ARTICLES" ? articles : Reflect.get(object, property, object),
      }),
    );
    const self = this as unknown as Internals;
    const run = self.changes.run.bind(self.changes);
    self.changes.run = <T>(task: () => Promise<T>): Promise<T> => {
      const entering = probe.entering;
      probe.entering = undefined;
      if (!entering) return run(task);
      return run(async () => {
        const began = performance.now();
        entering.log.queuedMs = began - entering.began;
        try {
          return await task();
        } finally {
          entering.log.checksMs = performance.now() - began;
        }
      });
    };
    const read = self.records.read.bind(self.records);
    self.records.read = async (slugs) => {
      const began = performance.now();
      try {
        return await read(slugs);
      } finally {
        probe.phase("read records", performance.now() - began);
      }
    };
    const write = self.records.write.bind(self.records);
    self.records.write = (records) => {
      const began = performance.now();
      try {
        write(records);
      } finally {
        if (probe.commit) probe.commit.records += records.size;
        probe.phase("write records", performance.now() - began);
      }
    };
    const ready = self.pacer.ready.bind(self.pacer);
    self.pacer.ready = async (keys) => {
      const began = performance.now();
      try {
        return await ready(keys);
      } finally {
        probe.phase(
          probe.inStore ? "pacer wait (documents)" : "pacer wait (records)",
          performance.now() - began,
        );
      }
    };
  }

  override async publishMany(...args: Parameters<RealPublisher["publishMany"]>) {
    const [items] = args;
    const began = performance.now();
    const log: PublishLog = {
      endAt: 0,
      items: items.length,
      queuedMs: 0,
      checksMs: 0,
      commitWaitMs: 0,
    };
    // publishMany enters the serial queue synchronously: the wrapper above picks this up.
    probe.entering = { log, began };
    try {
      return await super.publishMany(...args);
    } finally {
      log.commitWaitMs = performance.now() - began - log.queuedMs - log.checksMs;
      log.endAt = Date.now() - probe.started;
      probe.push(probe.log.publishes, log);
    }
  }

  /** Times every catalogue method (SQL) once the catalogue is open. */
  private benchWrapCatalog(): void {
    const self = this as unknown as Internals;
    const catalog = self.catalog;
    if (!catalog || catalog.__benchWrapped) return;
    catalog.__benchWrapped = true;
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(catalog))) {
      const method = catalog[name];
      if (name === "constructor" || typeof method !== "function") continue;
      catalog[name] = (...args: unknown[]) => {
        const began = performance.now();
        try {
          return (method as AnyFn).apply(catalog, args);
        } finally {
          probe.phase("catalogue SQL", performance.now() - began);
        }
      };
    }
  }

  override async alarm(): Promise<void> {
    this.benchWrapCatalog();
    const began = performance.now();
    const log: AlarmLog = {
      at: Date.now() - probe.started,
      ms: 0,
      commits: 0,
      documents: 0,
      kv: noOps(),
    };
    probe.alarm = log;
    try {
      await super.alarm();
    } finally {
      log.ms = performance.now() - began;
      probe.alarm = undefined;
      probe.push(probe.log.alarms, log);
    }
  }

  async benchLog(reset = false): Promise<BenchLog> {
    const log = probe.log;
    if (reset) probe.log = emptyLog();
    return log;
  }

  /** `count` concurrent puts of `bytes` bytes each (keys bench-probe:<i>), then deletes. */
  async benchKvPutProbe(count: number, bytes: number): Promise<{ putMs: number }> {
    const value = new Uint8Array(bytes).fill(0x61);
    const began = performance.now();
    await Promise.all(
      Array.from({ length: count }, (_, i) => this.env.ARTICLES.put(`bench-probe:${i}`, value)),
    );
    const putMs = performance.now() - began;
    await Promise.all(
      Array.from({ length: count }, (_, i) => this.env.ARTICLES.delete(`bench-probe:${i}`)),
    );
    return { putMs };
  }

  async benchMemory(): Promise<{ recordCacheEntries: number; recordCacheBytes: number }> {
    const { cache } = (this as unknown as Internals).records;
    return { recordCacheEntries: cache.size, recordCacheBytes: cache.totalBytes };
  }

  async benchIsolateMark(): Promise<unknown> {
    return (globalThis as Record<string, unknown>).__scaleBenchMark;
  }
}

// Private methods of the real class, wrapped on the subclass's prototype (the group
// commit calls `this.commit()`, so the wrapper is what runs).
const real = RealPublisher.prototype as unknown as Record<string, AnyFn>;
const wrapped = Publisher.prototype as unknown as Record<string, AnyFn> & {
  benchWrapCatalog(): void;
};

wrapped.commit = async function (this: Publisher) {
  wrapped.benchWrapCatalog.call(this);
  const began = performance.now();
  const log: CommitLog = {
    at: Date.now() - probe.started,
    ms: 0,
    inAlarm: probe.alarm !== undefined,
    records: 0,
    documents: 0,
    kv: noOps(),
    phases: {},
    heldDocChars: 0,
  };
  probe.commit = log;
  const docPutsBefore = probe.docPuts;
  try {
    return await (real.commit as AnyFn).call(this);
  } finally {
    log.documents = probe.docPuts - docPutsBefore;
    log.ms = performance.now() - began;
    probe.commit = undefined;
    if (probe.alarm) {
      probe.alarm.commits += 1;
      probe.alarm.documents += log.documents;
    }
    // An empty commit (nothing queued) is not worth a line.
    if (log.records > 0 || log.documents > 0 || log.kv.reads > 0)
      probe.push(probe.log.commits, log);
  }
};

wrapped.rebuild = async function (this: Publisher, ...args: unknown[]) {
  const began = performance.now();
  try {
    return await (real.rebuild as AnyFn).apply(this, args);
  } finally {
    probe.phase("rebuild (all)", performance.now() - began);
  }
};

// The document writer's store() (one call per group of rendered documents it holds).
const writerPrototype = DocumentWriter.prototype as unknown as Record<string, AnyFn>;
const realStore = writerPrototype.store as AnyFn;
writerPrototype.store = async function (this: unknown, ...args: unknown[]) {
  const began = performance.now();
  const rendered = args[0] as { doc: { body: string } }[];
  if (probe.commit)
    probe.commit.heldDocChars = Math.max(
      probe.commit.heldDocChars,
      rendered.reduce((n, r) => n + r.doc.body.length, 0),
    );
  probe.inStore = true;
  try {
    return await realStore.apply(this, args);
  } finally {
    probe.inStore = false;
    probe.phase("store documents (all)", performance.now() - began);
  }
};

wrapped.prepare = function (this: Publisher, ...args: unknown[]) {
  const began = performance.now();
  try {
    return (real.prepare as AnyFn).apply(this, args);
  } finally {
    probe.phase("prepare records", performance.now() - began);
  }
};
