/**
 * The public read path: feeds and pages, each one KV read of a document rendered when
 * its content last changed, answered with validators and 304s per RFC 9110.
 */
import { type Context, Hono } from "hono";
import { formatHttpDate, toEpochMs } from "../../core/dates.ts";
import { renderErrorPage } from "../../core/pages/render-pages.ts";
import { absolute } from "../../core/urls.ts";
import type { AppEnv } from "../env.ts";
import { isNotModified, notModifiedResponse } from "../http/conditional.ts";
import type { ServedDoc } from "../publisher.ts";
import { publisherOf, siteOf } from "../site-config.ts";
import { documentMemory } from "../store/document-memory.ts";
import { type DocMeta, docKey, isDocMeta } from "../store/keys.ts";

/**
 * Feeds: readers poll often; a minute of freshness, then revalidation (cheap: 304), and
 * a stale copy rather than an error if the origin fails.
 */
export const FEED_CACHE_CONTROL =
  "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400";
export const PAGE_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";

const FEED_FILE = /\/(feed\.xml|atom\.xml|feed\.json)$/;
const isXmlFeed = (path: string) => /\/(feed|atom)\.xml$/.test(path);

/**
 * Chromium shows `application/rss+xml` and `application/atom+xml` as raw text and never
 * applies their XSL stylesheet. A browser navigating to a feed (it asks for text/html
 * and names no feed type) gets the same bytes as `application/xml`, which it renders
 * through /feed.xsl; feed readers, which ask for feed types or anything, get the feed
 * media types. `Vary: Accept` keeps caches from mixing the two.
 */
const BROWSER_XML_TYPE = "application/xml; charset=utf-8";

function wantsBrowserView(request: Headers): boolean {
  const accept = request.get("Accept") ?? "";
  return /\btext\/html\b/.test(accept) && !/application\/(?:rss|atom)\+xml/.test(accept);
}

async function loadDoc(c: Context<AppEnv>, path: string): Promise<ServedDoc | undefined> {
  const { build, memoryTtlMs } = siteOf(c.env);
  if (memoryTtlMs <= 0) return readDoc(c, path);
  const remembered = documentMemory.get(path, build, Date.now());
  if (remembered) return remembered;
  return documentMemory.coalesce(path, async () => {
    const doc = await readDoc(c, path);
    if (doc && doc.body instanceof ArrayBuffer) {
      documentMemory.set(path, { body: doc.body, meta: doc.meta }, Date.now() + memoryTtlMs);
    }
    return doc;
  });
}

async function readDoc(c: Context<AppEnv>, path: string): Promise<ServedDoc | undefined> {
  const { build } = siteOf(c.env);
  // Bytes, not text: the body is served as stored, never decoded and re-encoded.
  const { value, metadata } = await c.env.ARTICLES.getWithMetadata<DocMeta>(
    docKey(path),
    "arrayBuffer",
  );
  const usable =
    value !== null &&
    isDocMeta(metadata) &&
    metadata.build === build &&
    metadata.length === value.byteLength;
  if (usable) return { body: value, meta: metadata };
  if (value !== null)
    console.warn(`stored document ${docKey(path)} is unusable or stale; re-rendering`);
  // Missing, corrupt or built under another configuration: the writer renders it.
  return publisherOf(c.env).render(path);
}

function notFound(c: Context<AppEnv>, status: 404 | 410 = 404): Response {
  const { site } = siteOf(c.env);
  return c.html(renderErrorPage(site, status), status, {
    "Content-Language": site.language,
    "Cache-Control": "public, max-age=60",
  });
}

async function serve(c: Context<AppEnv>, path: string): Promise<Response> {
  const doc = await loadDoc(c, path);
  if (!doc) return notFound(c);
  const { meta } = doc;
  const { site } = siteOf(c.env);
  const isFeed = FEED_FILE.test(path);
  const browserView = isXmlFeed(path) && wantsBrowserView(c.req.raw.headers);
  // Same bytes, labelled as plain XML: a distinct representation, so a distinct tag.
  const etag = browserView ? `${meta.etag.slice(0, -1)}-xml"` : meta.etag;
  const lastModifiedMs = toEpochMs(meta.lastModified);
  // A plain record, turned into Headers once by the Response (see notModifiedResponse).
  const headers: Record<string, string> = {
    "Content-Type": browserView ? BROWSER_XML_TYPE : meta.contentType,
    "Content-Language": meta.language,
    ETag: etag,
    "Last-Modified": formatHttpDate(lastModifiedMs),
    "Cache-Control": isFeed ? FEED_CACHE_CONTROL : PAGE_CACHE_CONTROL,
    "X-Content-Type-Options": "nosniff",
  };
  if (isFeed) {
    // WebSub discovery (W3C WebSub §4) also works from HTTP headers.
    const links = [
      `<${absolute(site, path)}>; rel="self"`,
      ...site.hubs.map((hub) => `<${hub}>; rel="hub"`),
    ];
    headers.Link = links.join(", ");
    headers["Access-Control-Allow-Origin"] = "*";
  }
  if (isXmlFeed(path)) headers.Vary = "Accept";
  if (meta.status === 200 && isNotModified(c.req.raw.headers, etag, lastModifiedMs)) {
    return notModifiedResponse(headers);
  }
  return new Response(c.req.method === "HEAD" ? null : doc.body, { status: meta.status, headers });
}

export const readRoutes = new Hono<AppEnv>();

// Hono joins a parameter's pattern into one larger expression: alternatives must be
// grouped, or `a|b` would match any path that merely contains `b`.
readRoutes.get("/", (c) => serve(c, "/"));
readRoutes.get("/:file{(?:feed\\.xml|atom\\.xml|feed\\.json)}", (c) =>
  serve(c, `/${c.req.param("file")}`),
);
readRoutes.get(
  "/:kind{(?:categories|authors)}/:slug{[a-z0-9-]+}/:file{(?:feed\\.xml|atom\\.xml|feed\\.json)}",
  (c) => serve(c, `/${c.req.param("kind")}/${c.req.param("slug")}/${c.req.param("file")}`),
);
readRoutes.get("/archive/:page{[1-9][0-9]*}/:file{(?:feed\\.xml|atom\\.xml|feed\\.json)}", (c) =>
  serve(c, `/archive/${c.req.param("page")}/${c.req.param("file")}`),
);
readRoutes.get("/articles/:slug{[a-z0-9-]+}", (c) => serve(c, `/articles/${c.req.param("slug")}`));
readRoutes.notFound((c) => notFound(c));

export { notFound };
