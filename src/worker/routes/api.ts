/**
 * The admin API (JSON). Every change goes through the Publisher, the single writer;
 * every refusal is an ApiError, raised before anything is written.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { Hono } from "hono/tiny";
import { type Article, type FieldError, validateArticle } from "../../core/article.ts";
import { ARTICLE_STATUSES, type ArticleStatus, statusOf } from "../../core/catalog.ts";
import { checkBody } from "../../core/html.ts";
import { partnerWarnings } from "../../core/partners/admission.ts";
import { BULK_MAX_ARTICLES } from "../../core/publishing/limits.ts";
import type { SiteConfig } from "../../core/site.ts";
import type { StoredArticle } from "../../core/stored-article.ts";
import { firstInvalidUtf8Offset } from "../../core/text.ts";
import { absolute, articlePath } from "../../core/urls.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { bearerToken, sameSecret } from "../http/credentials.ts";
import type { BulkItem } from "../publisher.ts";
import { publisherOf, siteOf } from "../site-config.ts";
import { writer } from "../writer.ts";

/** Largest request body accepted by PUT (documented in the README). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest bulk request body: BULK_MAX_ARTICLES articles of typical size, with room. */
export const MAX_BULK_BODY_BYTES = 16 * 1024 * 1024;

/** Bearer token check in constant time (http/credentials.ts). */
const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const expected = c.env.ADMIN_TOKEN;
  if (!expected) {
    throw new ApiError(
      503,
      "admin_disabled",
      "The admin API is disabled: set the ADMIN_TOKEN secret (wrangler secret put ADMIN_TOKEN, or .dev.vars locally).",
    );
  }
  const token = bearerToken(c.req.header("Authorization"));
  const challenge = { "WWW-Authenticate": 'Bearer realm="admin"' };
  if (!token)
    throw new ApiError(
      401,
      "unauthorized",
      "Send Authorization: Bearer <token>.",
      undefined,
      challenge,
    );
  if (!(await sameSecret(token, expected))) {
    throw new ApiError(401, "unauthorized", "The bearer token is not valid.", undefined, {
      "WWW-Authenticate": 'Bearer realm="admin", error="invalid_token"',
    });
  }
  await next();
});

/** The article as the API shows it; PUT accepts exactly this back. */
export function toApiArticle(site: SiteConfig, record: StoredArticle, status: ArticleStatus) {
  return {
    slug: record.slug,
    url: absolute(site, articlePath(record.slug)),
    status,
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

/**
 * Problems of the body's markup (a body the parser cannot even read is one too), and the
 * HTML of a body without any.
 */
function markupOf(site: SiteConfig, article: Article): { problems: string[]; html?: string } {
  try {
    return checkBody(site, article.body, article.format);
  } catch (error) {
    return { problems: [`cannot be rendered: ${(error as Error).message}`] };
  }
}

export const apiRoutes = new Hono<AppEnv>();

apiRoutes.use("*", requireAdmin);

apiRoutes.get("/articles", async (c) => {
  const limit = Number(c.req.query("limit") ?? "20");
  const offset = Number(c.req.query("offset") ?? "0");
  const status = (c.req.query("status") ?? "live") as ArticleStatus;
  if (!ARTICLE_STATUSES.includes(status)) {
    throw new ApiError(400, "bad_request", `status must be one of ${ARTICLE_STATUSES.join(", ")}.`);
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new ApiError(400, "bad_request", "limit must be a whole number from 1 to 100.");
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ApiError(400, "bad_request", "offset must be a whole number, 0 or more.");
  }
  const { site } = siteOf(c.env);
  const page = await publisherOf(c.env).list(status, offset, limit);
  const query = (o: number) =>
    `/api/articles?limit=${limit}&offset=${o}${status === "live" ? "" : `&status=${status}`}`;
  const next = offset + limit < page.total ? absolute(site, query(offset + limit)) : null;
  return c.json({
    total: page.total,
    articles: page.entries.map((e) => ({
      ...e,
      status: statusOf(e),
      url: absolute(site, articlePath(e.slug)),
    })),
    next,
  });
});

apiRoutes.get("/articles/:slug", async (c) => {
  const found = await publisherOf(c.env).get(c.req.param("slug"));
  if (!found) throw new ApiError(404, "not_found", `No article at "${c.req.param("slug")}".`);
  return c.json(toApiArticle(siteOf(c.env).site, found.record, found.status));
});

/** The article's page as readers will see it, for a draft or a scheduled story too. */
apiRoutes.get("/articles/:slug/preview", async (c) => {
  const html = await publisherOf(c.env).preview(c.req.param("slug"));
  if (html === undefined)
    throw new ApiError(404, "not_found", `No article at "${c.req.param("slug")}".`);
  return c.html(html, 200, { "Cache-Control": "private, no-store" });
});

/** A JSON request body of at most `maxBytes`, or the ApiError that says what is wrong. */
async function readJson(c: Context<AppEnv>, maxBytes: number): Promise<unknown> {
  checkJsonType(c.req.header("Content-Type") ?? "");
  const declared = Number(c.req.header("Content-Length") ?? "0");
  const body = declared > maxBytes ? new ArrayBuffer(0) : await c.req.arrayBuffer();
  if (declared > maxBytes || body.byteLength > maxBytes) {
    throw new ApiError(
      413,
      "payload_too_large",
      `The request body is larger than ${maxBytes} bytes.`,
    );
  }
  return decodeJson(body);
}

/**
 * Validates an article and its markup: field errors, or the article and its body's HTML
 * (handed to the Publisher, which then does not parse the body again).
 */
function checkArticle(
  site: SiteConfig,
  input: unknown,
  slug: string,
): { ok: false; errors: FieldError[] } | { ok: true; article: Article; html?: string } {
  const checked = validateArticle(input, slug, { site });
  if (!checked.ok) return checked;
  const { problems, html } = markupOf(site, checked.article);
  if (problems.length > 0)
    return { ok: false, errors: problems.map((message) => ({ path: "body", message })) };
  return html === undefined ? checked : { ...checked, html };
}

/** The body's HTML as this build rendered it: the Publisher uses it only from its own build. */
const renderedBy = (build: string, html: string | undefined): Pick<BulkItem, "rendered"> =>
  html === undefined ? {} : { rendered: { build, html } };

apiRoutes.put("/articles/:slug", async (c) => {
  const slug = c.req.param("slug");
  const input = await readJson(c, MAX_BODY_BYTES);
  const { site } = siteOf(c.env);
  const checked = checkArticle(site, input, slug);
  if (!checked.ok)
    throw new ApiError(
      422,
      "invalid_article",
      "The article has errors; nothing was saved.",
      checked.errors,
    );
  const result = await writer.publish(c.env, {
    slug,
    article: checked.article,
    ...renderedBy(siteOf(c.env).build, checked.html),
  });
  if (result.status === "refused") {
    throw new ApiError(
      422,
      "invalid_article",
      "The article cannot be published; nothing was saved.",
      result.errors,
    );
  }
  const status = result.status === "created" ? 201 : 200;
  const warnings = partnerWarnings(site, result.record.article, Date.now());
  return c.json({ ...toApiArticle(site, result.record, result.articleStatus), warnings }, status, {
    Location: absolute(site, `/api/articles/${slug}`),
  });
});

/**
 * Many articles in one request (`{"articles": [{slug, ...article}, …]}`): validated all
 * first, committed together, so an import costs one commit per request instead of one
 * per article. One bad article refuses the batch, naming its index and field.
 */
apiRoutes.put("/articles", async (c) => {
  const input = await readJson(c, MAX_BULK_BODY_BYTES);
  const list = (input as { articles?: unknown } | null)?.articles;
  if (!Array.isArray(list) || list.length === 0 || list.length > BULK_MAX_ARTICLES) {
    throw new ApiError(422, "invalid_article", "The batch has errors; nothing was saved.", [
      {
        path: "articles",
        message: `must be a list of 1 to ${BULK_MAX_ARTICLES} articles, each with its slug`,
      },
    ]);
  }
  const { site, build } = siteOf(c.env);
  const items: BulkItem[] = [];
  const errors: FieldError[] = [];
  list.forEach((item, index) => {
    const slug = (item as { slug?: unknown } | null)?.slug;
    if (typeof slug !== "string") {
      errors.push({ path: `articles.${index}.slug`, message: "is required in a batch" });
      return;
    }
    const checked = checkArticle(site, item, slug);
    if (checked.ok)
      items.push({ slug, article: checked.article, ...renderedBy(build, checked.html) });
    else errors.push(...checked.errors.map((e) => ({ ...e, path: `articles.${index}.${e.path}` })));
  });
  if (errors.length > 0)
    throw new ApiError(422, "invalid_article", "The batch has errors; nothing was saved.", errors);
  const result = await writer.publishMany(c.env, items);
  if (!result.ok) {
    throw new ApiError(
      422,
      "invalid_article",
      "The batch cannot be published; nothing was saved.",
      result.errors.map(({ index, path, message }) => ({
        path: `articles.${index}.${path}`,
        message,
      })),
    );
  }
  const count = (status: string) => result.results.filter((r) => r.status === status).length;
  return c.json({
    created: count("created"),
    updated: count("updated"),
    unchanged: count("unchanged"),
    articles: result.results.map(({ slug, status, record, articleStatus }) => {
      const warnings = partnerWarnings(site, record.article, Date.now());
      return {
        slug,
        status,
        articleStatus,
        url: absolute(site, articlePath(slug)),
        updated: record.updated,
        ...(warnings.length > 0 ? { warnings } : {}),
      };
    }),
  });
});

/**
 * The digest of every live article (see articleDigest), by slug, a page at a time: what
 * a sync compares with its files to send only what changed.
 */
apiRoutes.get("/digests", async (c) => {
  const after = c.req.query("after") ?? "";
  const limit = Number(c.req.query("limit") ?? "1000");
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new ApiError(400, "bad_request", "limit must be a whole number from 1 to 1000.");
  }
  const { site } = siteOf(c.env);
  const digests = await publisherOf(c.env).digests(after, limit);
  const last = digests[digests.length - 1];
  return c.json({
    digests: Object.fromEntries(digests.map((d) => [d.slug, d.digest])),
    next:
      digests.length === limit && last
        ? absolute(site, `/api/digests?after=${encodeURIComponent(last.slug)}&limit=${limit}`)
        : null,
  });
});

apiRoutes.delete("/articles/:slug", async (c) => {
  const slug = c.req.param("slug");
  const removed = await writer.remove(c.env, slug);
  if (!removed) throw new ApiError(404, "not_found", `No article at "${slug}".`);
  return c.body(null, 204);
});

/** Each admin route's methods: any other method answers 405 with them in Allow. */
const ALLOWED: [string, string][] = [
  ["/articles", "GET, HEAD, PUT"],
  ["/articles/:slug", "GET, HEAD, PUT, DELETE"],
  ["/articles/:slug/preview", "GET, HEAD"],
  ["/digests", "GET, HEAD"],
];
for (const [path, allow] of ALLOWED) {
  apiRoutes.all(path, (c) => {
    throw new ApiError(
      405,
      "method_not_allowed",
      `${c.req.method} is not allowed here; use ${allow}.`,
      undefined,
      { Allow: allow },
    );
  });
}
