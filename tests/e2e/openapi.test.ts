/**
 * The admin API against its OpenAPI document: the document is what the generator makes
 * from the validating schema (no drift), and every documented operation, sent to the
 * real Worker in workerd, answers with a documented status and a body that matches the
 * documented schema (Ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses).
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../tools/local-worker.ts";
import { OPENAPI_PATH, renderOpenApi } from "../../tools/openapi.ts";

const TOKEN = "openapi-test-token";
const doc = JSON.parse(readFileSync(OPENAPI_PATH, "utf8"));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "openapi", components: doc.components });

const article = {
  title: "عنوان",
  summary: "ملخص",
  body: "نص.",
  language: "ar",
  authors: [{ name: "كاتب", slug: "writer" }],
  published: "2020-01-07T09:00:00+02:00",
};

/** One request per documented operation and answer; `[method, path, body, expected status]`. */
const CALLS: [string, string, unknown, number][] = [
  ["PUT", "/api/articles/doc-story", article, 201],
  ["PUT", "/api/articles/doc-story", { ...article, title: "عنوان آخر" }, 200],
  ["PUT", "/api/articles/doc-bad", { ...article, title: "" }, 422],
  ["GET", "/api/articles/doc-story", undefined, 200],
  ["GET", "/api/articles/no-such", undefined, 404],
  ["GET", "/api/articles/doc-story/preview", undefined, 200],
  ["GET", "/api/articles?limit=1", undefined, 200],
  ["GET", "/api/articles?limit=0", undefined, 400],
  ["PUT", "/api/articles", { articles: [{ slug: "doc-bulk", ...article }] }, 200],
  ["GET", "/api/digests?limit=2", undefined, 200],
  ["DELETE", "/api/articles/doc-bulk", undefined, 204],
  ["DELETE", "/api/articles/doc-bulk", undefined, 404],
  ["GET", "/api/openapi.json", undefined, 200],
];

let dir: string;
let worker: LocalWorker;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "openapi-"));
  worker = await startLocalWorker({ persist: join(dir, "state"), secrets: { ADMIN_TOKEN: TOKEN } });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The documented operation for a concrete request path. */
function operationOf(method: string, path: string) {
  const bare = path.split("?")[0] as string;
  for (const [template, item] of Object.entries(
    doc.paths as Record<string, Record<string, unknown>>,
  )) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(bare))
      return item[method.toLowerCase()] as
        | { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }
        | undefined;
  }
  return undefined;
}

describe("the OpenAPI document", { timeout: 60_000 }, () => {
  it("is what the generator makes from the schema that validates requests", () => {
    expect(readFileSync(OPENAPI_PATH, "utf8"), "run npm run openapi").toBe(renderOpenApi());
  });

  it("documents every call, and every answer matches it", async () => {
    const documented = new Set<string>();
    for (const [method, path, body, expected] of CALLS) {
      const operation = operationOf(method, path);
      expect(operation, `${method} ${path} is documented`).toBeDefined();
      const response = await fetch(new URL(path, worker.url), {
        method,
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          ...(body ? { "Content-Type": "application/json" } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(response.status, `${method} ${path}`).toBe(expected);
      const listed = operation?.responses[String(response.status)] as
        | { $ref?: string; content?: Record<string, { schema: unknown }> }
        | undefined;
      // Shared responses are described once, under components.responses.
      const answer = listed?.$ref
        ? (doc.components.responses[listed.$ref.split("/").pop() as string] as typeof listed)
        : listed;
      expect(answer, `${method} ${path} → ${response.status} is documented`).toBeDefined();
      const media = response.headers.get("Content-Type")?.split(";")[0] ?? "";
      const schema = answer?.content?.[media]?.schema;
      if (answer?.content) expect(schema, `${media} is the documented type`).toBeDefined();
      if (schema && media === "application/json") {
        const validate = ajv.compile(resolveRefs(schema));
        const value = await response.json();
        expect(validate(value) ? [] : validate.errors, `${method} ${path}`).toEqual([]);
      } else {
        await response.body?.cancel();
      }
      documented.add(`${method} ${path.split("?")[0]?.replace(/doc-[a-z]+|no-such/, "{slug}")}`);
    }
    // Every documented operation was sent.
    for (const [template, item] of Object.entries(
      doc.paths as Record<string, Record<string, unknown>>,
    ))
      for (const method of Object.keys(item).filter((k) => k !== "parameters"))
        expect(documented, `${method.toUpperCase()} ${template} is exercised`).toContain(
          `${method.toUpperCase()} ${template}`,
        );
  });
});

/** `#/components/...` references, pointed at the registered document. */
function resolveRefs(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'));
}
