/**
 * The V8 inspector of a Worker's isolate in workerd (Miniflare's `inspectorPort`), for
 * heap figures: `Runtime.getHeapUsage` after `HeapProfiler.collectGarbage`.
 *
 * Two things about workerd's inspector that this module works around, found while
 * writing it (workerd 1.20261102.1):
 * - `Runtime.getHeapUsage` answers only after `Runtime.enable`.
 * - `HeapProfiler.collectGarbage` is carried out the next time the isolate runs
 *   (takes its lock): with the isolate idle it never answers. `usedHeap` therefore sends
 *   it, then makes the isolate run with requests (`poke`, a 404 that reads nothing)
 *   until it answers, twice (weak maps and caches let go of values over two
 *   collections), and only then asks for the heap usage.
 *
 * `/json` lists one target per workerd service; the Worker's is `core:user:<name>`. With
 * local dev (Miniflare, wrangler dev) the Worker and its Durable Object classes run in
 * that one isolate; scale.ts checks this with a mark set here and read back by the
 * Publisher (scale-worker.ts).
 */

export interface HeapUsage {
  /** V8 used heap, bytes: what the 128 MB isolate limit is mostly about. */
  usedSize: number;
  /** V8 heap reserved. */
  totalSize: number;
  /** Memory of the embedder (workerd) held for the isolate's objects. */
  embedderHeapUsedSize: number;
  backingStorageSize: number;
}

interface InspectorTarget {
  id: string;
  title: string;
  webSocketDebuggerUrl: string;
}

export async function listTargets(port: number): Promise<InspectorTarget[]> {
  const response = await fetch(`http://127.0.0.1:${port}/json`);
  return (await response.json()) as InspectorTarget[];
}

export class Inspector {
  readonly target: InspectorTarget;
  private readonly socket: WebSocket;
  private nextId = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  private contextId: number | undefined;

  private constructor(target: InspectorTarget, socket: WebSocket) {
    this.target = target;
    this.socket = socket;
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: { context?: { id: number } };
      };
      if (message.method === "Runtime.executionContextCreated")
        this.contextId ??= message.params?.context?.id;
      if (message.id === undefined) return;
      const waiter = this.waiting.get(message.id);
      if (!waiter) return;
      this.waiting.delete(message.id);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
    socket.addEventListener("close", () => {
      for (const waiter of this.waiting.values()) waiter.reject(new Error("inspector closed"));
      this.waiting.clear();
    });
  }

  /** Connects to the Worker's isolate (`core:user:<worker name>`). */
  static async connect(port: number, workerName: string): Promise<Inspector> {
    const targets = await listTargets(port);
    const target = targets.find((t) => t.id === `core:user:${workerName}`);
    if (!target) {
      throw new Error(
        `no inspector target core:user:${workerName}; targets: ${targets.map((t) => t.id).join(", ")}`,
      );
    }
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener("open", () => resolve(), { once: true });
      socket.addEventListener("error", () => reject(new Error("inspector connect failed")), {
        once: true,
      });
    });
    const inspector = new Inspector(target, socket);
    await inspector.call("Runtime.enable");
    await inspector.call("HeapProfiler.enable");
    return inspector;
  }

  /** One protocol call; an answer that takes over `timeoutMs` is an error, not a hang. */
  call<T = unknown>(
    method: string,
    params: Record<string, unknown> = {},
    timeoutMs = 120_000,
  ): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`inspector: no answer to ${method} in ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      this.waiting.set(id, {
        resolve: (v) => settle(() => resolve(v as T)),
        reject: (e) => settle(() => reject(e)),
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Heap usage now, garbage included (answers while the isolate is busy too). */
  heapNow(): Promise<HeapUsage> {
    return this.call<HeapUsage>("Runtime.getHeapUsage");
  }

  /**
   * Heap usage after two full collections; `poke` makes the isolate run (see above). The
   * collection may reach the isolate after the poke did, so poke again until it answers.
   */
  async usedHeap(poke: () => Promise<void>): Promise<HeapUsage> {
    for (let i = 0; i < 2; i++) {
      let done = false;
      const collected = this.call("HeapProfiler.collectGarbage").then(() => {
        done = true;
      });
      for (let tries = 0; !done; tries++) {
        if (tries >= 100) throw new Error("HeapProfiler.collectGarbage did not answer");
        await poke();
        await Promise.race([collected, new Promise((r) => setTimeout(r, 100))]);
      }
    }
    return this.heapNow();
  }

  /** Evaluates an expression in the Worker's global scope; its value as JSON. */
  async evaluate(expression: string): Promise<unknown> {
    const result = await this.call<{ result: { value?: unknown } }>("Runtime.evaluate", {
      expression,
      returnByValue: true,
      ...(this.contextId !== undefined ? { contextId: this.contextId } : {}),
    });
    return result.result.value;
  }

  close(): void {
    this.socket.close();
  }
}
