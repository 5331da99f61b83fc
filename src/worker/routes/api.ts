/**
 * The admin API (JSON). Every change goes through the Publisher, the single writer;
 * every refusal is an ApiError, raised before anything is written.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { validateArticle } from "../../core/article.ts";
import { findUnsafeMarkup } from "../../core/html.ts";
import type { SiteConfig } from "../../core/site.ts";
import type { StoredArticle } from "../../core/stored-article.ts";
import { firstInvalidUtf8Offset } from "../../core/text.ts";
import { absolute, articlePath } from "../../core/urls.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { publisherOf, siteOf } from "../site-config.ts";
import { documentMemory } from "../store/document-memory.ts";

/** Largest request body accepted by PUT (documented in the README). */
export const MAX_BODY_BYTES = 1024 * 1024;

async function digest(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}

/** Bearer token check in constant time: both sides are hashed to equal-length digests. */
const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) {
    throw new ApiError(
      503,
      "admin_disabled",
      "The admin API is disabled: set the ADMIN_TOKEN secret (wrangler secret put ADMIN_TOKEN, or .dev.vars locally).",
    );
  }
  const header = c.req.header("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const challenge = { "WWW-Authenticate": 'Bearer realm="admin"' };
  if (!match)
    throw new ApiError(
      401,
      "unauthorized",
      "Send Authorization: Bearer <token>.",
      undefined,
      challenge,
    );
  const [given, wanted] = await Promise.all([digest(match[1] as string), digest(expected)]);
  if (!crypto.subtle.timingSafeEqual(given, wanted)) {
    throw new ApiError(401, "unauthorized", "The bearer token is not valid.", undefined, {
      "WWW-Authenticate": 'Bearer realm="admin", error="invalid_token"',
    });
  }
  await next();
});

/** The article as the API shows it; PUT accepts exactly this back. */
export function toApiArticle(site: SiteConfig, record: StoredArticle) {
  return {
    slug: record.slug,
    url: absolute(site, articlePath(record.slug)),
    ...record.article,
    created: record.created,
    updated: record.updated,
  };
}

/**
 * The JSON of a PUT, decoded strictly as UTF-8 (RFC 8259 §8.1): a body in another
 * charset, or with bytes that are not UTF-8, is refused, never stored with U+FFFD in
 * place of what the editor sent.
 */
export function parseJsonBody(type: string, body: ArrayBuffer): unknown {
  checkJsonType(type);
  return decodeJson(body);
}

/** 415 unless the Content-Type is application/json with no charset or a UTF-8 one. */
export function checkJsonType(type: string): void {
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Send the article as Content-Type: application/json (got "${type || "none"}").`,
    );
  }
  const charset = /;\s*charset\s*=\s*(?:"([^"]*)"|([^\s;]*))/i.exec(type);
  const name = charset ? (charset[1] ?? charset[2] ?? "") : "utf-8";
  if (!/^utf-?8$/i.test(name.trim())) {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `The body must be UTF-8, but Content-Type names charset "${name}": send it as UTF-8 with charset=utf-8, or with no charset.`,
    );
  }
}

/** The body's bytes as UTF-8 JSON: 400 naming the byte offset of what is not UTF-8. */
export function decodeJson(body: ArrayBuffer): unknown {
  const bytes = new Uint8Array(body);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    throw new ApiError(
      400,
      "malformed_json",
      `The body is not valid UTF-8: the bytes at byte offset ${offset} (starting 0x${(bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0")}) are not a UTF-8 character. Send the article encoded as UTF-8.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      "malformed_json",
      `The body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

export const apiRoutes = new Hono<AppEnv>();

apiRoutes.use("*", requireAdmin);

apiRoutes.get("/articles", async (c) => {
  const limit = Number(c.req.query("limit") ?? "20");
  const offset = Number(c.req.query("offset") ?? "0");
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new ApiError(400, "bad_request", "limit must be a whole number from 1 to 100.");
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ApiError(400, "bad_request", "offset must be a whole number, 0 or more.");
  }
  const { site } = siteOf(c.env);
  const page = await publisherOf(c.env).list(offset, limit);
  const next =
    offset + limit < page.total ? `/api/articles?limit=${limit}&offset=${offset + limit}` : null;
  return c.json({
    total: page.total,
    articles: page.entries.map((e) => ({ ...e, url: absolute(site, articlePath(e.slug)) })),
    next,
  });
});

apiRoutes.get("/articles/:slug", async (c) => {
  const record = await publisherOf(c.env).get(c.req.param("slug"));
  if (!record) throw new ApiError(404, "not_found", `No article at "${c.req.param("slug")}".`);
  return c.json(toApiArticle(siteOf(c.env).site, record));
});

apiRoutes.put(
  "/articles/:slug",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(
        413,
        "payload_too_large",
        `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
      );
    },
  }),
  async (c) => {
    const slug = c.req.param("slug");
    const input = parseJsonBody(c.req.header("Content-Type") ?? "", await c.req.arrayBuffer());
    const { site } = siteOf(c.env);
    const checked = validateArticle(input, slug, { site });
    if (!checked.ok)
      throw new ApiError(
        422,
        "invalid_article",
        "The article has errors; nothing was saved.",
        checked.errors,
      );
    const unsafe = findUnsafeMarkup(site, checked.article.body, checked.article.format);
    if (unsafe.length > 0) {
      throw new ApiError(
        422,
        "invalid_article",
        "The article has errors; nothing was saved.",
        unsafe.map((message) => ({ path: "body", message })),
      );
    }
    const result = await publisherOf(c.env).publish(slug, checked.article);
    documentMemory.clear();
    const status = result.status === "created" ? 201 : 200;
    return c.json(toApiArticle(site, result.record), status, {
      Location: absolute(site, `/api/articles/${slug}`),
    });
  },
);

apiRoutes.delete("/articles/:slug", async (c) => {
  const slug = c.req.param("slug");
  const removed = await publisherOf(c.env).remove(slug);
  documentMemory.clear();
  if (!removed) throw new ApiError(404, "not_found", `No article at "${slug}".`);
  return c.body(null, 204);
});
