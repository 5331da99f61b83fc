/**
 * The only way the Worker changes anything: every write goes to the Publisher (the
 * single writer) through here, and here the isolate forgets the documents it remembers,
 * so no write route can forget to and then serve stale documents.
 */
import type { Env } from "./env.ts";
import type { BulkItem, BulkResult, PublishResult } from "./publisher.ts";
import { publisherOf } from "./site-config.ts";
import { documentMemory } from "./store/document-memory.ts";

async function forgettingAfter<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } finally {
    documentMemory.clear();
  }
}

export const writer = {
  publish: (env: Env, item: BulkItem): Promise<PublishResult> =>
    forgettingAfter(publisherOf(env).publish(item) as Promise<PublishResult>),
  /** A bulk import: the feeds follow within seconds (a deferred rebuild shared by batches). */
  publishMany: (env: Env, items: BulkItem[]): Promise<BulkResult> =>
    forgettingAfter(
      publisherOf(env).publishMany(items, { deferShared: true }) as Promise<BulkResult>,
    ),
  remove: (env: Env, slug: string): Promise<boolean> =>
    forgettingAfter(publisherOf(env).remove(slug) as Promise<boolean>),
};
