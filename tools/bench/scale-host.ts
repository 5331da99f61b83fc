/**
 * Starting and restarting the Worker for the archive-scale benchmark: the bundle in
 * workerd through Miniflare, as workers.ts does, with three additions:
 * - a V8 inspector port (heap figures, inspector.ts);
 * - the Miniflare instance's Durable Object namespace, for the Publisher's RPC methods
 *   (`rerenderStatus()`, and the instrumented bundle's `benchLog()`);
 * - restarts on the same persist folder: dispose and recreate Miniflare, so the workerd
 *   process, the isolate and the Durable Object all start cold and read only storage.
 */
import { createServer } from "node:net";
import { dirname } from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { Inspector } from "./inspector.ts";
import { bindingsOf, publisherOf, readWranglerToml } from "./workers.ts";

const LOOPBACK = "127.0.0.1";

export interface HostOptions {
  scriptPath: string;
  config: string;
  persistTo: string;
  vars: Record<string, string>;
  /** Open a V8 inspector port and connect to the Worker's isolate. */
  inspect?: boolean;
}

/** A free loopback port (workerd is told the number; it cannot pick one and say so). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export class Host {
  readonly base: string;
  readonly workerName: string;
  /** Wall time from `new Miniflare` to listening (workerd start-up, script compiled). */
  readonly startMs: number;
  inspector: Inspector | undefined;
  private readonly mf: Miniflare;

  private constructor(mf: Miniflare, base: string, workerName: string, startMs: number) {
    this.mf = mf;
    this.base = base;
    this.workerName = workerName;
    this.startMs = startMs;
  }

  static async start(options: HostOptions): Promise<Host> {
    const began = performance.now();
    const fromConfig = bindingsOf(options.config);
    const inspectorPort = options.inspect ? await freePort() : undefined;
    const mf = new Miniflare(
      convertV4MiniflareOptions({
        host: LOOPBACK,
        port: 0,
        cf: false,
        logRequests: false,
        resourcePersistencePath: options.persistTo,
        // The dry-run output: index.js, the whole Worker (it imports no text modules).
        modules: [{ type: "ESModule", path: options.scriptPath }],
        modulesRoot: dirname(options.scriptPath),
        ...(inspectorPort ? { inspectorPort } : {}),
        ...fromConfig,
        bindings: { ...(fromConfig.bindings as Record<string, unknown>), ...options.vars },
      } as Parameters<typeof convertV4MiniflareOptions>[0]),
    );
    const url = await mf.ready;
    const startMs = performance.now() - began;
    if (url.hostname !== LOOPBACK) {
      await mf.dispose();
      throw new Error(`Miniflare listened on ${url.hostname}, expected loopback only`);
    }
    const name = readWranglerToml(options.config).name ?? "worker";
    const host = new Host(mf, url.origin, name, startMs);
    if (inspectorPort) host.inspector = await Inspector.connect(inspectorPort, name);
    return host;
  }

  /** The Publisher's stub, for its RPC methods (through Miniflare's proxy; results are proxies too). */
  publisher<T>(): Promise<T> {
    return publisherOf<T>(this.mf);
  }

  /** One request through the Worker's isolate that reads nothing (a 404 of the path grammar). */
  readonly poke = async (): Promise<void> => {
    const response = await fetch(`${this.base}/__scale-bench/not-a-document`);
    await response.arrayBuffer();
  };

  async heap() {
    if (!this.inspector) throw new Error("started without an inspector");
    return this.inspector.usedHeap(this.poke);
  }

  async stop(): Promise<void> {
    this.inspector?.close();
    this.inspector = undefined;
    await this.mf.dispose();
  }
}
