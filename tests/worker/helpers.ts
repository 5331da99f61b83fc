/** Helpers for Worker tests: requests through the Worker's own fetch, and fixtures. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import type { Env } from "../../src/worker/env.ts";
import app from "../../src/worker/index.ts";
import { TEST_ADMIN_TOKEN } from "../support/admin-token.ts";

/** The token vitest.config.ts gives the Worker as ADMIN_TOKEN. */
export const TOKEN = TEST_ADMIN_TOKEN;
export const BASE = "http://localhost:8787";

export function request(path: string, init: RequestInit = {}): Promise<Response> {
  return exports.default.fetch(new Request(new URL(path, BASE), init));
}

export function publish(slug: string, article: unknown, token = TOKEN): Promise<Response> {
  return request(`/api/articles/${slug}`, {
    method: "PUT",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(article),
  });
}

export function remove(slug: string, token = TOKEN): Promise<Response> {
  return request(`/api/articles/${slug}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${token}` },
  });
}

export function sampleArticle(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "عنوان تجريبي",
    summary: "ملخص تجريبي للمقال.",
    body: "فقرة أولى.\n\nفقرة ثانية.",
    language: "ar",
    authors: [{ name: "سعيد عريقات", slug: "saeed-ereikat" }],
    published: "2020-01-07T09:00:00+02:00",
    categories: [{ slug: "politics", label: "سياسة" }],
    ...overrides,
  };
}

export const FEED_PATHS = ["/feed.xml", "/atom.xml", "/feed.json"] as const;

export async function snapshotFeeds(): Promise<string[]> {
  return Promise.all(FEED_PATHS.map(async (p) => (await request(p)).text()));
}

/** The ETag of each of the site's feeds (null where none is sent). */
export async function feedEtags(): Promise<(string | null)[]> {
  return Promise.all(FEED_PATHS.map(async (p) => (await request(p)).headers.get("ETag")));
}

/**
 * env.ARTICLES with every method call shown first to `watch`: what it returns, unless
 * undefined, answers the call instead of KV.
 */
export function watchedKv(watch: (method: string, args: unknown[]) => unknown): KVNamespace {
  return new Proxy(env.ARTICLES, {
    get(object, property) {
      const value = Reflect.get(object, property, object);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => watch(String(property), args) ?? value.apply(object, args);
    },
  });
}

/**
 * The Worker's own fetch with `workerEnv`, each request in an execution context of its
 * own: the response's status and body text, once every task it left has ended.
 */
export function fetcherWith(workerEnv: Env) {
  return async (path: string) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(new Request(new URL(path, BASE)), workerEnv, ctx);
    const text = await response.text();
    await waitOnExecutionContext(ctx);
    return { status: response.status, text };
  };
}

/**
 * The Worker with isolate memory on (DOC_MEMORY_TTL_MS `ttlMs`), reading KV through a
 * counter: `reads` lists the keys read, in order.
 */
export function countingWorker(ttlMs = 60_000) {
  const reads: string[] = [];
  const kv = watchedKv((method, args) => {
    if (method === "get" || method === "getWithMetadata") reads.push(String(args[0]));
    return undefined;
  });
  const fetchText = fetcherWith({ ...env, ARTICLES: kv, DOC_MEMORY_TTL_MS: String(ttlMs) });
  const get = async (path: string) => (await fetchText(path)).status;
  return { reads, get, fetchText };
}
