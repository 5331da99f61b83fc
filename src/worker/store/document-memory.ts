/**
 * A short-lived copy of hot documents in the isolate's memory.
 *
 * Partners poll feeds every minute, many at once; each poll would otherwise be a KV read
 * (billed, and the slowest part of a response). Within `ttlMs` of reading a document,
 * an isolate answers from memory. The trade-off: another isolate may serve the previous
 * version for up to `ttlMs` after a publish (the isolate that handled the publish
 * forgets at once), and, while it reads a newer copy, for that one read more (below).
 * Bounded by total bytes, oldest first out. `ttlMs` 0 turns it off.
 *
 * When a copy has expired, the first request claims the path and reads KV; requests that
 * come while the claim holds (at most CLAIM_MS) are answered with the expired copy, if it
 * is less than STALE_MS old, as `stale-while-revalidate` lets any cache do. They do not
 * wait for that read: in Workers a promise must not be shared between requests. A
 * continuation of request B that awaits a promise of request A runs in A's I/O context,
 * so the Response B then builds belongs to A, and the runtime refuses it ("Cannot
 * perform I/O on behalf of a different request", a 500 outside any handler); and if A is
 * cancelled first, B never resumes. Only plain data (the bytes, the claim times) is
 * shared. A path an isolate has no copy of at all (its first request) has nothing to
 * fall back on: requests that come during that first read make their own.
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
 * How long a claim to read a path holds: a read that takes longer is failing (or its
 * request was cancelled), and the next request reads for itself.
 */
export const CLAIM_MS = 1_000;

/**
 * How old an expired copy may be and still answer while another request reads its
 * successor: the documents' own max-age (FEED_CACHE_CONTROL, PAGE_CACHE_CONTROL), so
 * nothing is older than a shared cache may serve it anyway.
 */
export const STALE_MS = 60_000;

/** Claims are deleted when their read ends; this bounds those of cancelled requests. */
const MAX_CLAIMS = 1_000;

/** One request's read of a path, from claim() to release(). */
export interface Claim {
  path: string;
  /** Whether this request holds the path's claim (else another request's holds). */
  mine: boolean;
  /** The memory's generation when the read began: a clear() since voids what it read. */
  generation: number;
}

export class DocumentMemory {
  private slots = new Map<string, Slot>();
  /** Paths some request is reading from KV now, and since when. */
  private claims = new Map<string, number>();
  private bytes = 0;
  private readonly maxBytes: number;
  /** Moves on at every clear(): a read begun before it must not store what it read. */
  private epoch = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /**
   * The copy to answer `path` with: a current one, or an expired one (at most STALE_MS
   * old) while another request reads its successor (see claim).
   */
  get(path: string, build: string, now: number): RememberedDoc | undefined {
    const slot = this.slots.get(path);
    if (!slot) return undefined;
    if (slot.meta.build !== build || now >= slot.expires + STALE_MS) {
      this.drop(path, slot);
      return undefined;
    }
    if (now < slot.expires) return slot;
    return this.claimHolds(path, now) ? slot : undefined;
  }

  /** A copy that has not expired, never a stale one. */
  current(path: string, build: string, now: number): RememberedDoc | undefined {
    const slot = this.slots.get(path);
    return slot && slot.meta.build === build && now < slot.expires ? slot : undefined;
  }

  /**
   * The caller begins to read `path`: unless another request's claim holds (`mine`
   * false: the caller may then skip a read that is only an optimisation), it claims the
   * path, so that concurrent requests are answered with the expired copy meanwhile (if
   * there is one). Hand the claim to `set` and, when the read ends, to `release`.
   */
  claim(path: string, now: number): Claim {
    const generation = this.epoch;
    if (this.claimHolds(path, now)) return { path, mine: false, generation };
    this.claims.delete(path);
    this.claims.set(path, now);
    // Map order is insertion order: the first claims are the oldest.
    for (const oldest of this.claims.keys()) {
      if (this.claims.size <= MAX_CLAIMS) break;
      this.claims.delete(oldest);
    }
    return { path, mine: true, generation };
  }

  /** The read ended (whatever it found): the next request may read, if the claim was its. */
  release(claim: Claim): void {
    if (claim.mine) this.claims.delete(claim.path);
  }

  /**
   * Remembers `doc` until `expires`, unless memory was cleared after the read that
   * produced it began (`claim`'s generation): that read may predate a publish.
   */
  set(path: string, doc: RememberedDoc, expires: number, claim?: Claim): void {
    if (claim && claim.generation !== this.epoch) return;
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
    this.epoch++;
  }

  get size(): { documents: number; bytes: number } {
    return { documents: this.slots.size, bytes: this.bytes };
  }

  private claimHolds(path: string, now: number): boolean {
    const since = this.claims.get(path);
    return since !== undefined && now - since < CLAIM_MS;
  }

  private drop(path: string, slot: Slot): void {
    this.slots.delete(path);
    this.bytes -= slot.body.byteLength;
  }
}

/** This isolate's memory: 16 MiB, a few dozen full-text feeds. */
export const documentMemory = new DocumentMemory(16 * 1024 * 1024);
