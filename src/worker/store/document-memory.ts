/**
 * A short-lived copy of hot documents in the isolate's memory.
 *
 * Partners poll feeds every minute, many at once; each poll would otherwise be a KV read
 * (billed, and the slowest part of a response). Within `ttlMs` of reading a document,
 * an isolate answers from memory. The trade-off: another isolate may serve the previous
 * version for up to `ttlMs` after a publish (the isolate that handled the publish
 * forgets at once). Bounded by total bytes, oldest first out. `ttlMs` 0 turns it off.
 */
import type { DocMeta } from "./keys.ts";

export interface RememberedDoc {
  body: ArrayBuffer;
  meta: DocMeta;
}

interface Slot extends RememberedDoc {
  expires: number;
}

export class DocumentMemory {
  private slots = new Map<string, Slot>();
  private loading = new Map<string, Promise<unknown>>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get(path: string, build: string, now: number): RememberedDoc | undefined {
    const slot = this.slots.get(path);
    if (!slot) return undefined;
    if (slot.expires <= now || slot.meta.build !== build) {
      this.drop(path, slot);
      return undefined;
    }
    return slot;
  }

  set(path: string, doc: RememberedDoc, expires: number): void {
    const old = this.slots.get(path);
    if (old) this.drop(path, old);
    if (doc.body.byteLength > this.maxBytes) return;
    // Map iteration order is insertion order: the first keys are the oldest.
    for (const [key, slot] of this.slots) {
      if (this.bytes + doc.body.byteLength <= this.maxBytes) break;
      this.drop(key, slot);
    }
    this.slots.set(path, { ...doc, expires });
    this.bytes += doc.body.byteLength;
  }

  /**
   * Runs `load` for `path` unless a load of it is already under way, whose result is
   * shared: when a hot document expires, fifty concurrent polls make one KV read, not fifty.
   */
  coalesce<T>(path: string, load: () => Promise<T>): Promise<T> {
    const pending = this.loading.get(path) as Promise<T> | undefined;
    if (pending) return pending;
    const started = load().finally(() => {
      if (this.loading.get(path) === started) this.loading.delete(path);
    });
    this.loading.set(path, started);
    return started;
  }

  /** After a change made through this isolate: nothing remembered is current any more. */
  clear(): void {
    this.slots.clear();
    this.loading.clear();
    this.bytes = 0;
  }

  get size(): { documents: number; bytes: number } {
    return { documents: this.slots.size, bytes: this.bytes };
  }

  private drop(path: string, slot: Slot): void {
    this.slots.delete(path);
    this.bytes -= slot.body.byteLength;
  }
}

/** This isolate's memory: 16 MiB, a few dozen full-text feeds. */
export const documentMemory = new DocumentMemory(16 * 1024 * 1024);
