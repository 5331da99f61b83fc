/**
 * Admin API authentication: a bearer token on every admin route, a challenge on every
 * refusal, nothing changed by a refused request, and a clear 503 when no token is set.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/worker/routes/api.ts";
import {
  AUTH,
  expectError,
  fetchWithEnv,
  getArticle,
  JSON_TYPE,
  observeState,
  publishOk,
} from "./api-helpers.ts";
import { request, sampleArticle, TOKEN } from "./helpers.ts";

const EXISTING = "guarded-article";

interface Route {
  name: string;
  method: "GET" | "PUT" | "DELETE";
  path: string;
  body?: string;
}

/** Every admin route, aimed at an article that exists, so a wrong 2xx would be visible. */
const ROUTES: Route[] = [
  { name: "GET /api/articles", method: "GET", path: "/api/articles" },
  { name: "GET /api/articles/:slug", method: "GET", path: `/api/articles/${EXISTING}` },
  {
    name: "PUT /api/articles/:slug",
    method: "PUT",
    path: `/api/articles/${EXISTING}`,
    body: JSON.stringify(sampleArticle({ title: "تعديل غير مصرح به" })),
  },
  { name: "DELETE /api/articles/:slug", method: "DELETE", path: `/api/articles/${EXISTING}` },
];

function call(route: Route, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = route.body ? { ...JSON_TYPE } : {};
  if (authorization !== undefined) headers.Authorization = authorization;
  return request(route.path, {
    method: route.method,
    headers,
    ...(route.body ? { body: route.body } : {}),
  });
}

beforeAll(async () => {
  await publishOk(EXISTING);
});

describe("admin API: bearer token", () => {
  it.each(ROUTES)("$name without Authorization → 401 with a Bearer challenge", async (route) => {
    const before = await observeState([EXISTING]);
    const res = await call(route);
    const error = await expectError(res, 401);
    expect(error.code).toBe("unauthorized");
    expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="admin"');
    expect(await observeState([EXISTING])).toEqual(before);
  });

  const WRONG_TOKENS = [
    ["a different token", "not-the-token"],
    ["a prefix of the token", TOKEN.slice(0, -1)],
    ["the token plus one character", `${TOKEN}x`],
    ["the token in upper case", TOKEN.toUpperCase()],
  ] as const;

  for (const route of ROUTES) {
    it.each(WRONG_TOKENS)(`${route.name} with %s → 401 invalid_token`, async (_label, token) => {
      const before = await observeState([EXISTING]);
      const res = await call(route, `Bearer ${token}`);
      const error = await expectError(res, 401);
      expect(error.code).toBe("unauthorized");
      expect(res.headers.get("WWW-Authenticate")).toBe(
        'Bearer realm="admin", error="invalid_token"',
      );
      expect(await observeState([EXISTING])).toEqual(before);
    });
  }

  const MALFORMED = [
    ["Basic credentials (even of the right token)", `Basic ${btoa(`admin:${TOKEN}`)}`],
    ["Basic with the bare token", `Basic ${TOKEN}`],
    ['"Bearer" with no token', "Bearer"],
    ['"Bearer " with only spaces', "Bearer    "],
    ["the token without a scheme", TOKEN],
    ["another scheme", `Token ${TOKEN}`],
    ["two tokens", `Bearer ${TOKEN} ${TOKEN}`],
    ["an empty header", ""],
  ] as const;

  for (const route of ROUTES) {
    it.each(MALFORMED)(`${route.name} with %s → 401`, async (_label, header) => {
      const before = await observeState([EXISTING]);
      const res = await call(route, header);
      const error = await expectError(res, 401);
      expect(error.code).toBe("unauthorized");
      expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer realm="admin"/);
      expect(await observeState([EXISTING])).toEqual(before);
    });
  }

  it("accepts the right token on every route", async () => {
    const list = await call(ROUTES[0] as Route, `Bearer ${TOKEN}`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { total: number }).total).toBe(1);

    const one = await call(ROUTES[1] as Route, `Bearer ${TOKEN}`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { slug: string }).slug).toBe(EXISTING);

    const put = await call(ROUTES[2] as Route, `Bearer ${TOKEN}`);
    expect(put.status).toBe(200);
    expect(((await put.json()) as { title: string }).title).toBe("تعديل غير مصرح به");

    // Back to the original text for the tests that follow (an update: 200).
    await publishOk(EXISTING, {}, 200);

    await publishOk("disposable-article");
    const del = await call(
      { ...(ROUTES[3] as Route), path: "/api/articles/disposable-article" },
      `Bearer ${TOKEN}`,
    );
    expect(del.status).toBe(204);
    expect((await getArticle("disposable-article")).status).toBe(404);
    expect((await getArticle(EXISTING)).status).toBe(200);
  });

  it("treats the scheme name case-insensitively and tolerates extra spaces (RFC 9110 §11)", async () => {
    for (const header of [`bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer   ${TOKEN}`]) {
      const res = await request("/api/articles", { headers: { Authorization: header } });
      expect(res.status, header).toBe(200);
    }
  });

  it("checks the token before anything else, so refusals reveal nothing", async () => {
    const before = await observeState([EXISTING]);
    // Unknown article: 401, not 404.
    const unknown = await request("/api/articles/no-such-article");
    expect((await expectError(unknown, 401)).code).toBe("unauthorized");
    // Wrong content type, malformed JSON, oversized body, invalid article: all 401.
    const attempts: RequestInit[] = [
      { headers: { "Content-Type": "text/plain" }, body: "{}" },
      { headers: { ...JSON_TYPE }, body: "{not json" },
      { headers: { ...JSON_TYPE }, body: " ".repeat(MAX_BODY_BYTES + 1) },
      { headers: { ...JSON_TYPE }, body: JSON.stringify({ title: 1 }) },
    ];
    for (const init of attempts) {
      const res = await request(`/api/articles/${EXISTING}`, { method: "PUT", ...init });
      expect((await expectError(res, 401)).code).toBe("unauthorized");
    }
    expect(await observeState([EXISTING])).toEqual(before);
  });

  it("leaves the public read path open", async () => {
    for (const path of ["/feed.xml", "/atom.xml", "/feed.json", `/articles/${EXISTING}`]) {
      expect((await request(path)).status, path).toBe(200);
    }
  });
});

describe("admin API without ADMIN_TOKEN", () => {
  const disabledEnvs = [
    ["unset", { ADMIN_TOKEN: undefined }],
    ["empty", { ADMIN_TOKEN: "" }],
  ] as const;

  for (const [label, overrides] of disabledEnvs) {
    for (const route of ROUTES) {
      it(`${route.name} → 503 with a JSON explanation (ADMIN_TOKEN ${label})`, async () => {
        const before = await observeState([EXISTING]);
        // With no header, with the test token, and with the strings an unset secret
        // might be mistaken for: none of them may open the API.
        for (const authorization of [
          undefined,
          `Bearer ${TOKEN}`,
          "Bearer undefined",
          "Bearer null",
        ]) {
          const headers: Record<string, string> = route.body ? { ...JSON_TYPE } : {};
          if (authorization) headers.Authorization = authorization;
          const res = await fetchWithEnv(
            route.path,
            { method: route.method, headers, ...(route.body ? { body: route.body } : {}) },
            overrides,
          );
          const error = await expectError(res, 503);
          expect(error.code).toBe("admin_disabled");
          expect(error.message).toContain("ADMIN_TOKEN");
        }
        // Nothing was read into a 2xx, written or deleted.
        expect(await observeState([EXISTING])).toEqual(before);
      });
    }
  }

  it("still serves feeds and pages when the admin API is disabled", async () => {
    for (const path of ["/feed.xml", "/atom.xml", "/feed.json", `/articles/${EXISTING}`]) {
      const res = await fetchWithEnv(path, {}, { ADMIN_TOKEN: undefined });
      expect(res.status, path).toBe(200);
    }
  });

  it("the same app with the token set answers normally (control for the 503 tests)", async () => {
    const res = await fetchWithEnv("/api/articles", { headers: { ...AUTH } }, {});
    expect(res.status).toBe(200);
  });
});
