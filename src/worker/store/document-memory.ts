/**
 * A short-lived copy of hot documents in the isolate's memory.
 *
 * Partners poll feeds every minute, many at once; each poll would otherwise be a KV read
 * (billed, and the slowest part of a response). Within `ttlMs` of reading a document,
 * an isolate answers from memory. The trade-off: another isolate may serve the previous
 * version for up to `ttlMs` after a publish, and one KV read longer (at most
 * REFRESH_MS; the isolate that handled the publish forgets at once). Bounded by total
 * bytes, oldest first out. `ttlMs` 0 turns it off.
 *
 * When a copy expires, one request reads its successor while concurrent requests are
 * answered with the expired copy. They do not wait for that read: in Workers a promise
 * must not be shared between requests. A continuation of request B that awaits a
 * promise of request A runs in A's I/O context, so the Response B then builds belongs to
 * A, and the runtime refuses it ("Cannot perform I/O on behalf of a different request",
 * a 500 outside any handler); and if A is cancelled first, B never resumes. Only plain
 * data (the bytes, the claim times) is shared.
 */
import type { DocMeta } from "./keys.ts";

export interface RememberedDoc {
  body: ArrayBuffer;
  meta: DocMeta;
}

interface Slot extends RememberedDoc {
  expires: number;
}

/**
 * How long a claim to read a path lasts, and how long after expiring a copy may still be
 * served while the claim holds: a read that takes longer is failing (or its request was
 * cancelled), and the next request reads for itself.
 */
export const REFRESH_MS = 1_000;

/** Claims are deleted when their read ends; this bounds those of cancelled requests. */
const MAX_CLAIMS = 1_000;

export class DocumentMemory {
  private slots = new Map<string, Slot>();
  /** Paths some request is reading from KV now, and since when. */
  private claims = new Map<string, number>();
  private bytes = 0;
  private readonly maxBytes: number;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /**
   * The copy to answer `path` with: a current one, or one expired less than REFRESH_MS
   * ago while another request reads its successor (see claim).
   */
  get(path: string, build: string, now: number): RememberedDoc | undefined {
    const slot = this.slots.get(path);
    if (!slot) return undefined;
    if (slot.meta.build !== build || now >= slot.expires + REFRESH_MS) {
      this.drop(path, slot);
      return undefined;
    }
    if (now < slot.expires) return slot;
    return this.claimedAt(path, now) !== undefined ? slot : undefined;
  }

  /**
   * Records that the caller reads `path` now, so that concurrent requests are answered
   * with the expired copy meanwhile (if there is one). False if another request's claim
   * holds: the caller may then skip a read that is only an optimisation.
   */
  claim(path: string, now: number): boolean {
    if (this.claimedAt(path, now) !== undefined) return false;
    this.claims.delete(path);
    this.claims.set(path, now);
    // Map order is insertion order: the first claims are the oldest.
    for (const oldest of this.claims.keys()) {
      if (this.claims.size <= MAX_CLAIMS) break;
      this.claims.delete(oldest);
    }
    return true;
  }

  /** The read of `path` ended (whatever it found): the next request may read again. */
  release(path: string): void {
    this.claims.delete(path);
  }

  set(path: string, doc: RememberedDoc, expires: number): void {
    const old = this.slots.get(path);
    if (old) this.drop(path, old);
    this.claims.delete(path);
    if (doc.body.byteLength > this.maxBytes) return;
    // Map iteration order is insertion order: the first keys are the oldest.
    for (const [key, slot] of this.slots) {
      if (this.bytes + doc.body.byteLength <= this.maxBytes) break;
      this.drop(key, slot);
    }
    this.slots.set(path, { ...doc, expires });
    this.bytes += doc.body.byteLength;
  }

  /** After a change made through this isolate: nothing remembered is current any more. */
  clear(): void {
    this.slots.clear();
    this.claims.clear();
    this.bytes = 0;
  }

  get size(): { documents: number; bytes: number } {
    return { documents: this.slots.size, bytes: this.bytes };
  }

  private claimedAt(path: string, now: number): number | undefined {
    const since = this.claims.get(path);
    return since !== undefined && now - since < REFRESH_MS ? since : undefined;
  }

  private drop(path: string, slot: Slot): void {
    this.slots.delete(path);
    this.bytes -= slot.body.byteLength;
  }
}

/** This isolate's memory: 16 MiB, a few dozen full-text feeds. */
export const documentMemory = new DocumentMemory(16 * 1024 * 1024);
