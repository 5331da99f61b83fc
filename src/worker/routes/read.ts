/**
 * The public read path: feeds and pages, each one KV read of a document rendered when
 * its content last changed, answered with validators and 304s per RFC 9110.
 */
import type { Context } from "hono";
import { Hono } from "hono/tiny";
import { formatHttpDate, toEpochMs } from "../../core/dates.ts";
import { renderErrorPage } from "../../core/pages/render-pages.ts";
import { type PartnerProfile, partnerTokenName } from "../../core/partners/profiles.ts";
import {
  directoryAnswers,
  SCOPE_DIRECTORY_PATH,
  ScopeDirectory,
} from "../../core/scope-directory.ts";
import {
  absolute,
  NEWS_SITEMAP_PATH,
  type PublicDoc,
  parsePath,
  pathOf,
  ROBOTS_PATH,
  SITEMAP_INDEX_PATH,
  viewOf,
} from "../../core/urls.ts";
import type { AppEnv } from "../env.ts";
import { isNotModified, notModifiedHeaders } from "../http/conditional.ts";
import { partnerToken, sameSecret } from "../http/credentials.ts";
import type { ServedDoc } from "../publisher.ts";
import { type Deployment, publisherOf, siteOf } from "../site-config.ts";
import { documentMemory } from "../store/document-memory.ts";
import { type DocMeta, docKey, isDocMeta } from "../store/keys.ts";

/**
 * Feeds: readers poll often; a minute of freshness, then revalidation (cheap: 304), and
 * a stale copy rather than an error if the origin fails.
 */
export const FEED_CACHE_CONTROL =
  "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400";
export const PAGE_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=600";
/** A private partner feed: the partner's own cache may keep it, no shared cache may. */
export const PRIVATE_FEED_CACHE_CONTROL = "private, max-age=60";

const formatOf = (doc: PublicDoc) =>
  doc.kind === "feed" || doc.kind === "archive"
    ? doc.format
    : doc.kind === "partner"
      ? ("rss" as const)
      : undefined;

/** Media types by which a client names a feed (feed readers send one of these). */
const FEED_TYPES = /^application\/(?:rss\+xml|atom\+xml|feed\+json|json)$/;

/**
 * Whether a request for a feed comes from a person's browser: its Accept asks for
 * text/html and names no feed type (a navigation sends `text/html,…,*\/*;q=0.8`). Such
 * requests get the feed's browser view (an HTML page, `feed.html` beside the feed);
 * feed readers, which name feed types, send `*\/*` or nothing, get the feed's bytes.
 * Browsers no longer style feeds themselves (Chromium removes XSLT). `Vary: Accept`
 * keeps caches from mixing the two.
 */
export function wantsBrowserView(request: Headers): boolean {
  const accept = request.get("Accept");
  if (!accept) return false;
  let html = false;
  for (const range of accept.split(",")) {
    const [type = "", ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    if (FEED_TYPES.test(type)) return false;
    if (type === "text/html") html = true;
  }
  return html;
}

async function loadDoc(c: Context<AppEnv>, path: string): Promise<ServedDoc | undefined> {
  const { build, memoryTtlMs } = siteOf(c.env);
  if (memoryTtlMs <= 0) return readDoc(c, path);
  const now = Date.now();
  const remembered = documentMemory.get(path, build, now);
  if (remembered) return remembered;
  // While this request reads, concurrent ones are answered with the expired copy, if any.
  const claim = documentMemory.claim(path, now);
  try {
    const doc = await readDoc(c, path);
    // Only a current build's: another's would be dropped by the next get.
    if (doc && doc.body instanceof ArrayBuffer && doc.meta.build === build) {
      const remember = { body: doc.body, meta: doc.meta };
      documentMemory.set(path, remember, Date.now() + memoryTtlMs, claim);
    }
    return doc;
  } finally {
    documentMemory.release(claim);
  }
}

/**
 * Documents that exist before anything is published (a new site still has its home page
 * and empty feeds): when missing from KV, the writer renders them. Any other missing
 * document is simply not there: a 404 that costs one KV read and never reaches the
 * writer, whatever path an anonymous client makes up.
 */
const ALWAYS_EXIST = new Set([
  "/",
  "/feed.xml",
  "/atom.xml",
  "/feed.json",
  "/feed.html",
  ROBOTS_PATH,
  SITEMAP_INDEX_PATH,
  NEWS_SITEMAP_PATH,
]);

/**
 * A stale document (built under another configuration or renderer) is still served while
 * the writer re-renders it; each isolate asks for a given path at most this often, so a
 * flood of reads after a deploy costs the writer one render per path, not one per read.
 */
const STALE_RENDER_INTERVAL_MS = 10_000;
const staleAsked = new Map<string, number>();
const STALE_ASKED_MAX = 1_000;

function mayAskAgain(path: string, now: number): boolean {
  const last = staleAsked.get(path);
  if (last !== undefined && now - last < STALE_RENDER_INTERVAL_MS) return false;
  staleAsked.delete(path);
  staleAsked.set(path, now);
  // Bounded: the oldest paths are forgotten first (Map order is insertion order).
  for (const oldest of staleAsked.keys()) {
    if (staleAsked.size <= STALE_ASKED_MAX) break;
    staleAsked.delete(oldest);
  }
  return true;
}

/**
 * A KV read, tried again once after a failure: a transient one should not answer a 500
 * (meanwhile, concurrent requests for the path are answered from memory, if it holds an
 * expired copy: see DocumentMemory).
 */
async function readOnce(kv: KVNamespace, key: string) {
  try {
    return await kv.getWithMetadata<DocMeta>(key, "arrayBuffer");
  } catch (error) {
    console.warn(`KV read of ${key} failed; trying once more`, error);
    await new Promise((resolve) => setTimeout(resolve, 25));
    return kv.getWithMetadata<DocMeta>(key, "arrayBuffer");
  }
}

async function readDoc(c: Context<AppEnv>, path: string): Promise<ServedDoc | undefined> {
  const { build } = siteOf(c.env);
  // Bytes, not text: the body is served as stored, never decoded and re-encoded.
  const { value, metadata } = await readOnce(c.env.ARTICLES, docKey(path));
  if (value === null) {
    return ALWAYS_EXIST.has(path) ? publisherOf(c.env).render(path) : undefined;
  }
  const intact = isDocMeta(metadata) && metadata.length === value.byteLength;
  if (intact && metadata.build === build) return { body: value, meta: metadata };
  if (intact && !mayAskAgain(path, Date.now())) return { body: value, meta: metadata };
  console.warn(`stored document ${docKey(path)} is ${intact ? "stale" : "corrupt"}; re-rendering`);
  const rendered = await publisherOf(c.env).render(path);
  // Nothing lives there any more (say, a category whose tombstones were compacted).
  return rendered ?? (intact ? { body: value, meta: metadata } : undefined);
}

/** The 404 page's bytes, rendered once per isolate and build: a flood of made-up paths costs no rendering. */
const notFoundPages = new Map<string, Uint8Array>();

function notFound(c: Context<AppEnv>): Response {
  const { site, build } = siteOf(c.env);
  let body = notFoundPages.get(build);
  if (!body) {
    body = new TextEncoder().encode(renderErrorPage(site, 404));
    notFoundPages.set(build, body);
  }
  return new Response(c.req.method === "HEAD" ? null : body, {
    status: 404,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Language": site.language,
      "Cache-Control": "public, max-age=60",
    },
  });
}

/**
 * A feed's document, or its browser view for a browser. A view missing from KV (stored
 * before views existed; their new fingerprint re-renders everything, views included)
 * falls back to the feed itself: an unknown scope still costs no Publisher call, since
 * only the site's view is in ALWAYS_EXIST.
 */
async function loadFeedOrView(
  c: Context<AppEnv>,
  target: PublicDoc,
  path: string,
): Promise<ServedDoc | undefined> {
  const view = viewOf(target);
  if (view && wantsBrowserView(c.req.raw.headers)) {
    const doc = await loadDoc(c, pathOf(view));
    if (doc) return doc;
  }
  return loadDoc(c, path);
}

/**
 * A partner feed answers only where its profile is enabled, and a private one only to
 * its credential (PARTNER_TOKEN_<ID>: Bearer, or Basic with the token as the password),
 * checked before any KV read. The refusal is never cached.
 */
async function partnerRefusal(
  c: Context<AppEnv>,
  profile: PartnerProfile | undefined,
): Promise<Response | undefined> {
  if (!profile) return notFound(c);
  if (!profile.private) return undefined;
  const secretName = partnerTokenName(profile.id);
  const expected = (c.env as unknown as Record<string, unknown>)[secretName];
  const given = partnerToken(c.req.header("Authorization"));
  if (typeof expected === "string" && expected !== "" && given !== undefined) {
    if (await sameSecret(given, expected)) return undefined;
  }
  if (typeof expected !== "string" || expected === "")
    console.error(`${secretName} is not set: the ${profile.name} feed refuses every request`);
  const headers = new Headers({
    "Content-Type": "text/plain; charset=utf-8",
    "Cache-Control": "no-store",
  });
  headers.append("WWW-Authenticate", `Basic realm="${profile.id}", charset="UTF-8"`);
  headers.append("WWW-Authenticate", `Bearer realm="${profile.id}"`);
  const body = given
    ? "The credential is not valid for this feed."
    : "This feed needs the credential its publisher gave you: Authorization: Bearer <token>, or Basic with the token as the password.";
  return new Response(c.req.method === "HEAD" ? null : body, { status: 401, headers });
}

/** Parsed once per stored body. */
const parsedDirectories = new WeakMap<ArrayBuffer, ScopeDirectory | null>();

/** The scope directory, if this isolate holds a current copy in memory. */
function directoryInMemory(c: Context<AppEnv>): ScopeDirectory | undefined {
  const { build, memoryTtlMs } = siteOf(c.env);
  if (memoryTtlMs <= 0) return undefined;
  // A current copy only, never an expired one: the directory answers that things do not
  // exist, and a category published since must not be a 404.
  const slot = documentMemory.current(SCOPE_DIRECTORY_PATH, build, Date.now());
  if (!slot) return undefined;
  let parsed = parsedDirectories.get(slot.body);
  if (parsed === undefined) {
    parsed = ScopeDirectory.parse(new TextDecoder().decode(slot.body)) ?? null;
    parsedDirectories.set(slot.body, parsed);
  }
  return parsed ?? undefined;
}

/**
 * Reads the directory into memory, unless it is there (even unreadable: it waits for its
 * time like any document): after a 404 it could have answered, for those that may follow.
 */
async function rememberDirectory(c: Context<AppEnv>): Promise<void> {
  const { build, memoryTtlMs } = siteOf(c.env);
  if (memoryTtlMs <= 0 || documentMemory.get(SCOPE_DIRECTORY_PATH, build, Date.now())) return;
  // One read at a time: the 404s that follow meanwhile simply do without.
  const claim = documentMemory.claim(SCOPE_DIRECTORY_PATH, Date.now());
  if (!claim.mine) return;
  try {
    const { value, metadata } = await readOnce(c.env.ARTICLES, docKey(SCOPE_DIRECTORY_PATH));
    if (value !== null && isDocMeta(metadata)) {
      const remember = { body: value, meta: metadata };
      documentMemory.set(SCOPE_DIRECTORY_PATH, remember, Date.now() + memoryTtlMs, claim);
    }
  } finally {
    documentMemory.release(claim);
  }
}

/**
 * Whether the directory shows that nothing lives at `target`. Only a directory already
 * in memory is asked, so a document that exists still costs one KV read, never two; and
 * only a current one, at most DOC_MEMORY_TTL_MS old.
 */
function knownAbsent(c: Context<AppEnv>, target: PublicDoc): boolean {
  if (!directoryAnswers(target)) return false;
  const directory = directoryInMemory(c);
  return directory?.showsAbsent(target, siteOf(c.env).site.archivePageSize) ?? false;
}

/** A document's response headers, and those its 304 keeps, built once per document read. */
interface DocHeaders {
  /** What they were built for: the same document is served at its own path and as a feed's view. */
  path: string;
  site: Deployment["site"];
  lastModifiedMs: number;
  full: Readonly<Record<string, string>>;
  notModified: Readonly<Record<string, string>>;
}

/**
 * Per document read (its metadata object): a remembered document answers many requests,
 * and each would otherwise format the same date and links again.
 */
const headersOfDoc = new WeakMap<DocMeta, DocHeaders>();

function docHeaders(
  site: Deployment["site"],
  meta: DocMeta,
  path: string,
  isFeed: boolean,
  privateFeed: boolean,
): DocHeaders {
  const hit = headersOfDoc.get(meta);
  if (hit?.path === path && hit.site === site) return hit;
  const lastModifiedMs = toEpochMs(meta.lastModified);
  // A plain record, turned into Headers once by the Response (see notModifiedHeaders).
  // The view is its own document: its own bytes, content type and ETag.
  const full: Record<string, string> = {
    "Content-Type": meta.contentType,
    "Content-Language": meta.language,
    ETag: meta.etag,
    "Last-Modified": formatHttpDate(lastModifiedMs),
    "Cache-Control": privateFeed
      ? PRIVATE_FEED_CACHE_CONTROL
      : isFeed
        ? FEED_CACHE_CONTROL
        : PAGE_CACHE_CONTROL,
    "X-Content-Type-Options": "nosniff",
  };
  if (isFeed) {
    // WebSub discovery (W3C WebSub §4) also works from HTTP headers.
    const links = [
      `<${absolute(site, path)}>; rel="self"`,
      ...site.hubs.map((hub) => `<${hub}>; rel="hub"`),
    ];
    full.Link = links.join(", ");
    full["Access-Control-Allow-Origin"] = "*";
    // Every format's URL answers a browser with its view: the representation depends on Accept.
    full.Vary = privateFeed ? "Accept, Authorization" : "Accept";
  }
  const built: DocHeaders = {
    path,
    site,
    lastModifiedMs,
    full: Object.freeze(full),
    notModified: Object.freeze(notModifiedHeaders(full)),
  };
  headersOfDoc.set(meta, built);
  return built;
}

async function serve(c: Context<AppEnv>, target: PublicDoc): Promise<Response> {
  const { site } = siteOf(c.env);
  let privateFeed = false;
  if (target.kind === "partner") {
    const profile = site.partners.profiles.find((p) => p.id === target.id);
    const refusal = await partnerRefusal(c, profile);
    if (refusal) return refusal;
    privateFeed = profile?.private === true;
  }
  if (knownAbsent(c, target)) return notFound(c);
  const path = pathOf(target);
  const isFeed = formatOf(target) !== undefined;
  const doc = await loadFeedOrView(c, target, path);
  if (!doc) {
    if (directoryAnswers(target)) c.executionCtx.waitUntil(rememberDirectory(c).catch(() => {}));
    return notFound(c);
  }
  const { meta } = doc;
  const headers = docHeaders(site, meta, path, isFeed, privateFeed);
  if (meta.status === 200 && isNotModified(c.req.raw.headers, meta.etag, headers.lastModifiedMs)) {
    return new Response(null, { status: 304, headers: headers.notModified });
  }
  return new Response(c.req.method === "HEAD" ? null : doc.body, {
    status: meta.status,
    headers: headers.full,
  });
}

export const readRoutes = new Hono<AppEnv>();

// One grammar for every public path (core/urls.ts): what it does not name is a 404
// without a KV read.
readRoutes.get("*", (c) => {
  const target = parsePath(c.req.path);
  return target ? serve(c, target) : notFound(c);
});
// Documents are read-only: a write to one is 405, not 404 (RFC 9110 §15.5.6).
readRoutes.all("*", (c) => {
  if (!parsePath(c.req.path)) return notFound(c);
  return c.text("Method not allowed: documents are read with GET or HEAD.", 405, {
    Allow: "GET, HEAD",
  });
});

export { notFound };
