/**
 * Article records as the Publisher stores them (its SQLite table `records`), read and
 * changed behind its back: the faults a test plants. Records that earlier versions kept
 * in KV are planted with env.ARTICLES and articleKey directly.
 */

import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { Publisher } from "../../src/worker/publisher.ts";
import { publisherOf } from "../../src/worker/site-config.ts";

const inPublisher = <T>(fn: (sql: SqlStorage) => T): Promise<T> =>
  runInDurableObject(publisherOf(env), async (_: Publisher, state) => fn(state.storage.sql));

export const readRawRecord = (slug: string): Promise<string | null> =>
  inPublisher(
    (sql) =>
      (sql.exec<{ record: string }>("SELECT record FROM records WHERE slug = ?", slug).toArray()[0]
        ?.record as string | undefined) ?? null,
  );

export const writeRawRecord = (slug: string, text: string): Promise<void> =>
  inPublisher((sql) => {
    sql.exec(
      "INSERT INTO records (slug, record) VALUES (?, ?) ON CONFLICT (slug) DO UPDATE SET record = excluded.record",
      slug,
      text,
    );
  });

export const deleteRawRecord = (slug: string): Promise<void> =>
  inPublisher((sql) => {
    sql.exec("DELETE FROM records WHERE slug = ?", slug);
  });

/** The feed entry stored beside a record (table `feed_entries`), as its row. */
export interface RawEntry {
  build: string;
  record_hash: string;
  entry: string;
}

export const readRawEntry = (slug: string): Promise<RawEntry | null> =>
  inPublisher(
    (sql) =>
      (sql
        .exec<{ build: string; record_hash: string; entry: string }>(
          "SELECT build, record_hash, entry FROM feed_entries WHERE slug = ?",
          slug,
        )
        .toArray()[0] as RawEntry | undefined) ?? null,
  );

export const writeRawEntry = (slug: string, row: RawEntry): Promise<void> =>
  inPublisher((sql) => {
    sql.exec(
      "INSERT OR REPLACE INTO feed_entries (slug, build, record_hash, entry) VALUES (?, ?, ?, ?)",
      slug,
      row.build,
      row.record_hash,
      row.entry,
    );
  });
