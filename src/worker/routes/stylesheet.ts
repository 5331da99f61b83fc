/**
 * /feed.xsl, the stylesheet browsers apply to the RSS and Atom feeds: bundled into the
 * Worker (no KV read, no asset router in front of every feed request), with a strong
 * ETag computed once per isolate.
 */
import type { Context } from "hono";
import { FEED_STYLESHEET, strongEtag } from "../../core/documents.ts";
import type { AppEnv } from "../env.ts";
import { ifNoneMatchMatches, notModifiedResponse } from "../http/conditional.ts";
import FEED_XSL from "../static/feed.xsl";

const bytes = new TextEncoder().encode(FEED_XSL);
let etag: Promise<string> | undefined;

/** Served at FEED_STYLESHEET, the path every RSS and Atom document names. */
export const STYLESHEET_PATH = FEED_STYLESHEET;

export async function serveStylesheet(c: Context<AppEnv>): Promise<Response> {
  etag ??= strongEtag(bytes);
  const headers: Record<string, string> = {
    "Content-Type": "text/xsl; charset=utf-8",
    ETag: await etag,
    "Cache-Control": "public, max-age=3600, stale-while-revalidate=86400",
    "X-Content-Type-Options": "nosniff",
  };
  const ifNoneMatch = c.req.header("If-None-Match");
  if (ifNoneMatch && ifNoneMatchMatches(ifNoneMatch, headers.ETag as string)) {
    return notModifiedResponse(headers);
  }
  return new Response(c.req.method === "HEAD" ? null : bytes, { headers });
}
