/**
 * The OpenAPI 3.1 description of the admin API, generated from the very schema that
 * validates requests (src/core/article.ts, through @valibot/to-json-schema), so the
 * document and the API cannot disagree about an article. The result is kept in the
 * repository (src/worker/openapi.json), served at /api/openapi.json, and checked against
 * this generator by a test.
 *
 *   npm run openapi        # rewrite src/worker/openapi.json after a change of the API
 */
import { writeFileSync } from "node:fs";
import { toJsonSchema } from "@valibot/to-json-schema";
import { ArticleSchema } from "../src/core/article.ts";
import { ARTICLE_STATUSES } from "../src/core/catalog.ts";
import { BULK_MAX_ARTICLES } from "../src/core/publishing/limits.ts";
import { SLUG_MAX, SLUG_PATTERN } from "../src/core/urls.ts";

export const OPENAPI_PATH = "src/worker/openapi.json";

type Schema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const error = (description: string) => json(ref("Error"), description);
const response = (name: string) => ({ $ref: `#/components/responses/${name}` });

/** Refusals shared by many operations, described once. */
const RESPONSES = {
  Unauthorized: error("No or wrong bearer token (with WWW-Authenticate)"),
  Disabled: error("The admin API is disabled: no ADMIN_TOKEN is configured"),
  BadJson: error("The body is not valid JSON, or not UTF-8 (the message names the byte offset)"),
  TooLarge: error("The body is too large"),
  WrongType: error("The body is not application/json in UTF-8"),
  Invalid: error("Field errors, or an article that cannot be published; nothing was saved"),
  NotFound: response("NotFound"),
  BadParameter: response("BadParameter"),
};

/** The refusals every authenticated call can answer with. */
const AUTH_ERRORS = { "401": response("Unauthorized"), "503": response("Disabled") };
const WRITE_ERRORS = {
  ...AUTH_ERRORS,
  "400": response("BadJson"),
  "413": response("TooLarge"),
  "415": response("WrongType"),
  "422": response("Invalid"),
};

const slugParameter = {
  name: "slug",
  in: "path",
  required: true,
  description: "The article's permanent URL segment",
  schema: { type: "string", pattern: SLUG_PATTERN.source, maxLength: SLUG_MAX },
};

export function buildOpenApi(): Schema {
  // Custom checks (XML-forbidden characters, markup, dates) cannot be expressed in JSON
  // Schema: they are described in the README and answered with 422 field errors.
  const input = toJsonSchema(ArticleSchema, { errorMode: "ignore" }) as Schema;
  const { $schema: _, additionalProperties: __, required: inputRequired, ...fields } = input;
  const required = (inputRequired as string[]) ?? [];
  // The article's fields once (ArticleFields); each shape that uses them adds what it
  // requires, and refuses other properties with unevaluatedProperties (JSON Schema 2020-12).
  const article = (description: string, needs: string[], extra: Schema = {}): Schema => ({
    description,
    allOf: [ref("ArticleFields")],
    ...(Object.keys(extra).length > 0 ? { properties: extra } : {}),
    required: [...required, ...needs],
    unevaluatedProperties: false,
  });
  const storedFields = ["slug", "url", "status", "created", "updated"];
  const articleInput = article("An article as an editor writes it.", []);
  const stored = article(
    "An article as the API returns it; PUT accepts it back unchanged.",
    storedFields,
  );
  return {
    openapi: "3.1.0",
    info: {
      title: "RTL feed publisher admin API",
      version: "1",
      description:
        "Publishing articles for the RSS, Atom and JSON feeds. Every call needs Authorization: Bearer <ADMIN_TOKEN>. Errors are {error: {code, message, fields?}}.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    paths: {
      "/api/articles": {
        get: {
          operationId: "listArticles",
          summary: "Articles of one status, newest first",
          parameters: [
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
            },
            { name: "offset", in: "query", schema: { type: "integer", minimum: 0, default: 0 } },
            { name: "status", in: "query", schema: { enum: ARTICLE_STATUSES, default: "live" } },
          ],
          responses: {
            "200": json(ref("ArticleList"), "A page of the list"),
            "400": response("BadParameter"),
            ...AUTH_ERRORS,
          },
        },
        put: {
          operationId: "publishArticles",
          summary: `Publish 1 to ${BULK_MAX_ARTICLES} articles as one change (all or nothing)`,
          requestBody: {
            required: true,
            ...json(ref("Batch"), "The articles, each with its slug"),
          },
          responses: {
            "200": json(ref("BatchResult"), "What happened to each article"),
            ...WRITE_ERRORS,
          },
        },
      },
      "/api/articles/{slug}": {
        parameters: [slugParameter],
        get: {
          operationId: "getArticle",
          summary: "One article, in any status but deleted",
          responses: {
            "200": json(ref("StoredArticle"), "The article"),
            "404": response("NotFound"),
            ...AUTH_ERRORS,
          },
        },
        put: {
          operationId: "putArticle",
          summary: "Create or update one article",
          requestBody: { required: true, ...json(ref("ArticleInput"), "The article") },
          responses: {
            "200": json(ref("PublishedArticle"), "Updated, or unchanged"),
            "201": json(ref("PublishedArticle"), "Created"),
            ...WRITE_ERRORS,
          },
        },
        delete: {
          operationId: "deleteArticle",
          summary: "Delete: the page answers 410 and feeds announce a tombstone",
          responses: {
            "204": { description: "Deleted" },
            "404": response("NotFound"),
            ...AUTH_ERRORS,
          },
        },
      },
      "/api/articles/{slug}/preview": {
        parameters: [slugParameter],
        get: {
          operationId: "previewArticle",
          summary: "The article's page as readers will see it (drafts and scheduled stories too)",
          responses: {
            "200": {
              description: "The page",
              content: { "text/html": { schema: { type: "string" } } },
            },
            "404": response("NotFound"),
            ...AUTH_ERRORS,
          },
        },
      },
      "/api/digests": {
        get: {
          operationId: "listDigests",
          summary:
            "The digest of every article but deleted ones, in slug order (what a sync compares)",
          parameters: [
            { name: "after", in: "query", schema: { type: "string" } },
            {
              name: "limit",
              in: "query",
              schema: { type: "integer", minimum: 1, maximum: 1000, default: 1000 },
            },
          ],
          responses: {
            "200": json(ref("Digests"), "A page of digests"),
            "400": response("BadParameter"),
            ...AUTH_ERRORS,
          },
        },
      },
      "/api/openapi.json": {
        get: {
          operationId: "describeApi",
          summary: "This document",
          security: [],
          responses: { "200": json({ type: "object" }, "The OpenAPI document") },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      responses: RESPONSES,
      schemas: {
        ArticleFields: fields,
        ArticleInput: articleInput,
        StoredArticle: stored,
        PublishedArticle: article(
          "The article as stored, and what each enabled partner feed leaves out of it (see the README's partner feeds).",
          [...storedFields, "warnings"],
          { warnings: { type: "array", items: ref("PartnerWarning") } },
        ),
        PartnerWarning: {
          type: "object",
          required: ["partner", "message"],
          properties: {
            partner: { type: "string", description: "The profile's id: /partners/<id>/feed.xml" },
            message: { type: "string" },
          },
        },
        Status: { enum: ARTICLE_STATUSES },
        ArticleList: {
          type: "object",
          required: ["total", "articles", "next"],
          properties: {
            total: { type: "integer", minimum: 0 },
            next: { type: ["string", "null"], format: "uri" },
            articles: {
              type: "array",
              items: {
                type: "object",
                required: ["slug", "url", "status", "published", "updated", "language"],
                properties: {
                  slug: { type: "string" },
                  title: { type: "string" },
                  url: { type: "string", format: "uri" },
                  status: ref("Status"),
                  published: { type: "string" },
                  updated: { type: "string" },
                  language: { type: "string" },
                },
              },
            },
          },
        },
        Batch: {
          type: "object",
          required: ["articles"],
          additionalProperties: false,
          properties: {
            articles: {
              type: "array",
              minItems: 1,
              maxItems: BULK_MAX_ARTICLES,
              items: article("An article with its slug.", ["slug"]),
            },
          },
        },
        BatchResult: {
          type: "object",
          required: ["created", "updated", "unchanged", "articles"],
          properties: {
            created: { type: "integer" },
            updated: { type: "integer" },
            unchanged: { type: "integer" },
            articles: {
              type: "array",
              items: {
                type: "object",
                required: ["slug", "status", "articleStatus", "url", "updated"],
                properties: {
                  slug: { type: "string" },
                  status: { enum: ["created", "updated", "unchanged"] },
                  articleStatus: ref("Status"),
                  url: { type: "string", format: "uri" },
                  updated: { type: "string" },
                  warnings: { type: "array", items: ref("PartnerWarning") },
                },
              },
            },
          },
        },
        Digests: {
          type: "object",
          required: ["digests", "next"],
          properties: {
            digests: { type: "object", additionalProperties: { type: ["string", "null"] } },
            next: { type: ["string", "null"], format: "uri" },
          },
        },
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: {
                code: { type: "string" },
                message: { type: "string" },
                fields: {
                  type: "array",
                  items: {
                    type: "object",
                    required: ["path", "message"],
                    properties: { path: { type: "string" }, message: { type: "string" } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}

export const renderOpenApi = (): string => `${JSON.stringify(buildOpenApi(), null, 1)}\n`;

if (import.meta.main) {
  writeFileSync(OPENAPI_PATH, renderOpenApi());
  console.log(`wrote ${OPENAPI_PATH}`);
}
