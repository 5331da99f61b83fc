/**
 * Admin API validation: every refusal has the right status, is a JSON error naming the
 * offending field, and leaves the store exactly as it was (the list, an existing
 * article, and the bytes and ETags of all three feeds).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/core/article.ts";
import { MAX_BODY_BYTES } from "../../src/worker/routes/api.ts";
import {
  AUTH,
  articleUrl,
  atomEntries,
  elementContents,
  expectError,
  fieldPaths,
  getArticle,
  JSON_TYPE,
  jsonItems,
  observeState,
  publishOk,
  putRaw,
  rssItems,
  stripMarks,
  xmlProblems,
  xmlText,
} from "./api-helpers.ts";
import { publish, remove, request, sampleArticle, snapshotFeeds } from "./helpers.ts";

const EXISTING = "existing-article";
const TARGET = "rejected-article";

beforeAll(async () => {
  await publishOk(EXISTING, {
    title: "مقال موجود قبل كل الاختبارات",
    body: "نص **المقال** الموجود.\n\n[رابط](https://example.com/ar)",
    dateline: "القدس",
    image: { url: "/images/a.jpg", type: "image/jpeg", alt: "صورة" },
  });
});

/** Sends `send`, expects a refusal, and checks that nothing observable changed. */
async function expectRefusedWithoutChange(
  send: () => Promise<Response>,
  status: number,
  stored: string[] = [TARGET],
) {
  const before = await observeState([EXISTING]);
  const error = await expectError(await send(), status);
  expect(await observeState([EXISTING])).toEqual(before);
  for (const slug of stored) expect((await getArticle(slug)).status, slug).toBe(404);
  return error;
}

describe("status codes of refusals", () => {
  it.each([
    ["a truncated object", '{"title": "عنوان"'],
    ["unquoted keys", "{title: 1}"],
    ["a trailing comma", JSON.stringify(sampleArticle()).replace(/}$/, ",}")],
    ["an empty body", ""],
    ["NaN", "NaN"],
    ["single quotes", "{'title': 'x'}"],
  ])("400 malformed_json for %s", async (_label, body) => {
    const error = await expectRefusedWithoutChange(() => putRaw(TARGET, body), 400);
    expect(error.code).toBe("malformed_json");
    expect(error.fields).toBeUndefined();
  });

  it.each([
    ["text/plain", "text/plain"],
    ["text/plain;charset=UTF-8", "text/plain;charset=UTF-8"],
    ["a form", "application/x-www-form-urlencoded"],
    ["application/json-patch+json", "application/json-patch+json"],
    ["text/json", "text/json"],
  ])("415 for a valid article sent as %s", async (_label, type) => {
    const body = JSON.stringify(sampleArticle());
    const error = await expectRefusedWithoutChange(
      () => putRaw(TARGET, body, { ...AUTH, "Content-Type": type }),
      415,
    );
    expect(error.code).toBe("unsupported_media_type");
    expect(error.message).toContain(type);
  });

  it("415 for a valid article sent with no Content-Type at all", async () => {
    // A byte body gets no default Content-Type (a string body would get text/plain).
    const bytes = new TextEncoder().encode(JSON.stringify(sampleArticle()));
    const error = await expectRefusedWithoutChange(() => putRaw(TARGET, bytes, { ...AUTH }), 415);
    expect(error.code).toBe("unsupported_media_type");
    expect(error.message).toContain('"none"');
  });

  it("accepts application/json with parameters and in any letter case (control for 415)", async () => {
    const body = JSON.stringify(sampleArticle());
    for (const [slug, type] of [
      ["json-charset", "application/json; charset=utf-8"],
      ["json-upper", "Application/JSON"],
    ] as const) {
      const res = await putRaw(slug, body, { ...AUTH, "Content-Type": type });
      expect(res.status, type).toBe(201);
      expect((await remove(slug)).status).toBe(204);
    }
  });

  it.each([
    "application/json; charset=latin1",
    "application/json; charset=ISO-8859-1",
    'application/json; charset="utf-16"',
    "application/json;charset=windows-1256",
  ])("415 naming the charset for %s", async (type) => {
    const body = JSON.stringify(sampleArticle());
    const error = await expectRefusedWithoutChange(
      () => putRaw(TARGET, body, { ...AUTH, "Content-Type": type }),
      415,
    );
    expect(error.code).toBe("unsupported_media_type");
    const charset = /charset="?([^";]+)/.exec(type)?.[1] as string;
    expect(error.message).toContain(`charset "${charset}"`);
    expect(error.message).toContain("UTF-8");
  });

  it("accepts charset=utf-8 in any spelling (control for the charset 415)", async () => {
    const body = JSON.stringify(sampleArticle());
    for (const [slug, type] of [
      ["charset-utf8", "application/json; charset=UTF8"],
      ["charset-quoted", 'application/json; charset="utf-8"'],
    ] as const) {
      const res = await putRaw(slug, body, { ...AUTH, "Content-Type": type });
      expect(res.status, type).toBe(201);
      expect((await remove(slug)).status).toBe(204);
    }
  });

  it("400 naming the byte offset for a body that is not UTF-8", async () => {
    const json = new TextEncoder().encode(JSON.stringify(sampleArticle({ title: "عنوان X" })));
    // Latin-1 "é" (0xE9) where the X was: a UTF-8 lead byte without its continuation.
    const at = json.indexOf(0x58);
    json[at] = 0xe9;
    const error = await expectRefusedWithoutChange(() => putRaw(TARGET, json), 400);
    expect(error.code).toBe("malformed_json");
    expect(error.message).toContain(`byte offset ${at} (starting 0xE9)`);
    expect(error.message).toContain("not valid UTF-8");
  });

  /** A valid article padded with JSON whitespace to exactly `bytes` bytes. */
  function paddedArticle(bytes: number): string {
    const json = JSON.stringify(sampleArticle());
    const padded = json + " ".repeat(bytes - new TextEncoder().encode(json).length);
    expect(new TextEncoder().encode(padded).length).toBe(bytes);
    return padded;
  }

  it("413 when Content-Length announces more than MAX_BODY_BYTES", async () => {
    const body = JSON.stringify(sampleArticle());
    const error = await expectRefusedWithoutChange(
      () =>
        putRaw(TARGET, body, {
          ...AUTH,
          ...JSON_TYPE,
          "Content-Length": String(MAX_BODY_BYTES + 1),
        }),
      413,
    );
    expect(error.code).toBe("payload_too_large");
    expect(error.message).toContain(String(MAX_BODY_BYTES));
  });

  it("413 for a body one byte over the limit (valid JSON, valid article)", async () => {
    const body = paddedArticle(MAX_BODY_BYTES + 1);
    const error = await expectRefusedWithoutChange(() => putRaw(TARGET, body), 413);
    expect(error.code).toBe("payload_too_large");
  });

  it("413 for an over-limit body streamed without Content-Length", async () => {
    const bytes = new TextEncoder().encode(paddedArticle(MAX_BODY_BYTES + 1));
    const error = await expectRefusedWithoutChange(() => {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          // Several chunks, as a real upload would arrive.
          for (let i = 0; i < bytes.length; i += 64 * 1024)
            controller.enqueue(bytes.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
      return putRaw(TARGET, stream);
    }, 413);
    expect(error.code).toBe("payload_too_large");
  });

  it("accepts a body of exactly MAX_BODY_BYTES (control for 413)", async () => {
    const res = await putRaw("exactly-at-limit", paddedArticle(MAX_BODY_BYTES));
    expect(res.status).toBe(201);
    expect((await remove("exactly-at-limit")).status).toBe(204);
  });

  it("404 JSON for GET and DELETE of an unknown article", async () => {
    const get = await expectRefusedWithoutChange(() => getArticle("no-such-article"), 404);
    expect(get.code).toBe("not_found");
    const del = await expectRefusedWithoutChange(() => remove("no-such-article"), 404);
    expect(del.code).toBe("not_found");
  });

  it("404 JSON for an unknown API route", async () => {
    const error = await expectRefusedWithoutChange(
      () => request("/api/nothing-here", { headers: AUTH }),
      404,
    );
    expect(error.code).toBe("not_found");
  });

  it("422 invalid_article lists every problem as {path, message}", async () => {
    const error = await expectRefusedWithoutChange(
      () => publish(TARGET, sampleArticle({ title: 42, language: "arabic!", authors: [] })),
      422,
    );
    expect(error.code).toBe("invalid_article");
    expect(fieldPaths(error).sort()).toEqual(["authors", "language", "title"]);
  });
});

// ---- bad inputs ---------------------------------------------------------------------

interface BadInput {
  name: string;
  /** Where it is sent (default TARGET); a raw path segment. */
  slug?: string;
  /** The article, or `raw` JSON text sent as it is. */
  article?: unknown;
  raw?: string;
  /** Field paths the refusal must name. */
  paths: string[];
}

const without = (key: string) => {
  const { [key]: _removed, ...rest } = sampleArticle();
  return rest;
};

const BAD_INPUTS: BadInput[] = [
  // Characters XML 1.0 forbids, in Arabic text.
  {
    name: "U+0001 in an Arabic title",
    article: sampleArticle({ title: "عنوان\u0001 المقال" }),
    paths: ["title"],
  },
  {
    name: "U+000B in an Arabic summary",
    article: sampleArticle({ summary: "ملخص\u000B المقال" }),
    paths: ["summary"],
  },
  {
    name: "U+0001 and U+000B in an Arabic body",
    article: sampleArticle({ body: "فقرة\u0001 أولى\u000B." }),
    paths: ["body"],
  },
  {
    name: "U+FFFE in the title",
    article: sampleArticle({ title: "عنوان \uFFFE" }),
    paths: ["title"],
  },
  {
    name: "U+FFFF in the summary",
    article: sampleArticle({ summary: "ملخص \uFFFF" }),
    paths: ["summary"],
  },
  {
    name: 'a lone surrogate sent as the JSON escape "\\ud800"',
    raw: JSON.stringify(sampleArticle({ title: "PLACEHOLDER" })).replace(
      "PLACEHOLDER",
      "عنوان \\ud800",
    ),
    paths: ["title"],
  },
  {
    name: "a lone low surrogate in an author name",
    raw: JSON.stringify(sampleArticle({ authors: [{ name: "PLACEHOLDER", slug: "a" }] })).replace(
      "PLACEHOLDER",
      "سعيد \\udc00",
    ),
    paths: ["authors.0.name"],
  },
  {
    name: "U+001F in a category label",
    article: sampleArticle({ categories: [{ slug: "politics", label: "سياسة\u001F" }] }),
    paths: ["categories.0.label"],
  },
  // Unsafe markup the sanitiser reports.
  {
    name: "an onerror attribute on an img",
    article: sampleArticle({
      format: "html",
      body: '<p>نص</p><img src="/a.png" onerror="alert(1)">',
    }),
    paths: ["body"],
  },
  {
    name: "an onclick attribute on a div",
    article: sampleArticle({ format: "html", body: '<div onclick="alert(1)">نص</div>' }),
    paths: ["body"],
  },
  {
    name: "a javascript: href",
    article: sampleArticle({
      format: "html",
      body: '<p><a href="javascript:alert(1)">اضغط</a></p>',
    }),
    paths: ["body"],
  },
  {
    name: "an entity-encoded javascript: href",
    article: sampleArticle({
      format: "html",
      body: '<p><a href="&#106;ava&#x73;cript:alert(1)">اضغط</a></p>',
    }),
    paths: ["body"],
  },
  {
    name: "a javascript: link in Markdown",
    article: sampleArticle({ body: "[اضغط هنا](javascript:alert(1))" }),
    paths: ["body"],
  },
  {
    name: "a data: URL as img src",
    article: sampleArticle({
      format: "html",
      body: '<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">',
    }),
    paths: ["body"],
  },
  {
    name: "a data: URL image in Markdown",
    article: sampleArticle({ body: "![صورة](data:image/png;base64,iVBORw0KGgo=)" }),
    paths: ["body"],
  },
  {
    name: "a style attribute",
    article: sampleArticle({ format: "html", body: '<p style="color:red">نص</p>' }),
    paths: ["body"],
  },
  {
    name: "a <bdo> element",
    article: sampleArticle({ format: "html", body: '<p><bdo dir="ltr">نص</bdo></p>' }),
    paths: ["body"],
  },
  // Limits.
  {
    name: `a body of LIMITS.body + 1 (${LIMITS.body + 1}) characters`,
    article: sampleArticle({ body: "ب".repeat(LIMITS.body + 1) }),
    paths: ["body"],
  },
  {
    name: `a title of LIMITS.title + 1 (${LIMITS.title + 1}) characters`,
    article: sampleArticle({ title: "ع".repeat(LIMITS.title + 1) }),
    paths: ["title"],
  },
  {
    name: "a title of only spaces",
    article: sampleArticle({ title: "   " }),
    paths: ["title"],
  },
  // Language tags and dates.
  {
    name: 'language "arabic!"',
    article: sampleArticle({ language: "arabic!" }),
    paths: ["language"],
  },
  { name: 'language "a"', article: sampleArticle({ language: "a" }), paths: ["language"] },
  {
    name: "a date-time without a zone",
    article: sampleArticle({ published: "2020-01-07T09:00:00" }),
    paths: ["published"],
  },
  {
    name: "an impossible date (February 30th)",
    article: sampleArticle({ published: "2020-02-30T09:00:00Z" }),
    paths: ["published"],
  },
  {
    name: "hour 24",
    article: sampleArticle({ published: "2020-01-07T24:00:00Z" }),
    paths: ["published"],
  },
  // Slugs in the URL.
  {
    name: "an upper-case slug in the URL",
    slug: "Bad-Slug",
    article: sampleArticle(),
    paths: ["slug"],
  },
  {
    name: "a slug with a space in the URL",
    slug: "bad%20slug",
    article: sampleArticle(),
    paths: ["slug"],
  },
  {
    name: "a slug with a trailing hyphen",
    slug: "bad-slug-",
    article: sampleArticle(),
    paths: ["slug"],
  },
  {
    name: "a slug with a double hyphen",
    slug: "bad--slug",
    article: sampleArticle(),
    paths: ["slug"],
  },
  {
    name: "an Arabic slug",
    slug: encodeURIComponent("مقال"),
    article: sampleArticle(),
    paths: ["slug"],
  },
  {
    name: "a slug of 101 characters",
    slug: "a".repeat(101),
    article: sampleArticle(),
    paths: ["slug"],
  },
  // Types and structure.
  { name: "a title that is a number", article: sampleArticle({ title: 2020 }), paths: ["title"] },
  {
    name: "authors as a string",
    article: sampleArticle({ authors: "سعيد عريقات" }),
    paths: ["authors"],
  },
  { name: "a missing title", article: without("title"), paths: ["title"] },
  { name: "missing authors", article: without("authors"), paths: ["authors"] },
  { name: "a missing published date", article: without("published"), paths: ["published"] },
  { name: "an empty authors list", article: sampleArticle({ authors: [] }), paths: ["authors"] },
  {
    name: "an invalid author slug",
    article: sampleArticle({ authors: [{ name: "سعيد", slug: "Saeed Ereikat" }] }),
    paths: ["authors.0.slug"],
  },
  {
    name: 'an unknown field "titel" beside the title',
    article: sampleArticle({ titel: "عنوان" }),
    paths: ["titel"],
  },
  {
    name: '"titel" instead of "title"',
    article: { ...without("title"), titel: "عنوان" },
    paths: ["title", "titel"],
  },
  {
    name: "a slug in the body that differs from the URL",
    article: sampleArticle({ slug: "another-article" }),
    paths: ["slug"],
  },
  {
    name: "a slug in the body that names the existing article",
    article: sampleArticle({ slug: EXISTING }),
    paths: ["slug"],
  },
  { name: 'format "rtf"', article: sampleArticle({ format: "rtf" }), paths: ["format"] },
  {
    name: "a javascript: URL as the lead image",
    article: sampleArticle({ image: { url: "javascript:alert(1)", type: "image/png", alt: "" } }),
    paths: ["image.url"],
  },
  // Issue #12: bodies that would stall publishing, and the smaller items.
  {
    name: "block quotes nested 3,000 deep",
    article: sampleArticle({ body: `${"> ".repeat(3000)}نص` }),
    paths: ["body"],
  },
  {
    name: "`_a*` repeated to 60,000 characters (quadratic in marked)",
    article: sampleArticle({ body: "_a*".repeat(20_000) }),
    paths: ["body"],
  },
  {
    name: "a lead image length of 1e21 (written 1e+21)",
    article: sampleArticle({
      image: { url: "/images/a.jpg", type: "image/jpeg", alt: "", length: 1e21 },
    }),
    paths: ["image.length"],
  },
  {
    name: "a relative author url",
    article: sampleArticle({ authors: [{ name: "سعيد", slug: "saeed", url: "/saeed" }] }),
    paths: ["authors.0.url"],
  },
  {
    name: "a lead image path with a backslash (/\\evil.example/…)",
    article: sampleArticle({
      image: { url: "/\\evil.example/lead.jpg", type: "image/jpeg", alt: "" },
    }),
    paths: ["image.url"],
  },
  {
    name: "a link in the body with a backslash",
    article: sampleArticle({ format: "html", body: '<p><a href="/\\evil.example/">رابط</a></p>' }),
    paths: ["body"],
  },
  {
    name: "an unclosed U+202E in the title",
    article: sampleArticle({ title: "عنوان \u202Eمعكوس" }),
    paths: ["title"],
  },
  {
    name: "a language tag of 994 characters",
    article: sampleArticle({ language: `ar-${"x".repeat(991)}` }),
    paths: ["language"],
  },
  {
    name: "a lead image on a host that is not a media origin",
    article: sampleArticle({
      image: { url: "https://evil.example/lead.jpg", type: "image/jpeg", alt: "" },
    }),
    paths: ["image.url"],
  },
  {
    name: "an <img> in the body on a host that is not a media origin",
    article: sampleArticle({ body: "![صورة](https://evil.example/x.png)" }),
    paths: ["body"],
  },
  { name: "a JSON string instead of an object", raw: '"عنوان"', paths: ["(root)"] },
  { name: "JSON null instead of an object", raw: "null", paths: ["(root)"] },
  { name: "a JSON number instead of an object", raw: "42", paths: ["(root)"] },
];

describe("bad inputs are refused with the field named, and change nothing", () => {
  it("has at least 20 distinct bad inputs", () => {
    expect(new Set(BAD_INPUTS.map((c) => c.name)).size).toBe(BAD_INPUTS.length);
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(BAD_INPUTS)("422 for $name", async (bad) => {
    const slug = bad.slug ?? TARGET;
    const body = bad.raw ?? JSON.stringify(bad.article);
    const error = await expectRefusedWithoutChange(() => putRaw(slug, body), 422, [slug]);
    expect(error.code).toBe("invalid_article");
    const paths = fieldPaths(error);
    for (const path of bad.paths) expect(paths, JSON.stringify(error.fields)).toContain(path);
  });

  it("422 for a JSON array instead of an object (refused, nothing stored)", async () => {
    for (const raw of ["[]", JSON.stringify([sampleArticle()])]) {
      const error = await expectRefusedWithoutChange(() => putRaw(TARGET, raw), 422);
      expect(error.code).toBe("invalid_article");
      expect(fieldPaths(error).length).toBeGreaterThan(0);
    }
  });

  // valibot's strictObject alone would take an array for an object and answer "title is
  // required", …, "0 is not a field"; an array is refused as a whole, like a string.
  it("names (root) when the body is a JSON array", async () => {
    const error = await expectError(await putRaw(TARGET, JSON.stringify([sampleArticle()])), 422);
    expect(fieldPaths(error)).toEqual(["(root)"]);
  });

  it("a bad slug in the URL is also refused by GET and DELETE, and its page is a 404", async () => {
    for (const slug of ["Bad-Slug", "bad%20slug", "bad-slug-"]) {
      expect((await getArticle(slug)).status, slug).toBe(404);
      expect((await remove(slug)).status, slug).toBe(404);
      expect((await request(`/articles/${slug}`)).status, slug).toBe(404);
    }
  });
});

// ---- dangerous elements -------------------------------------------------------------

const DANGEROUS_BODIES: {
  name: string;
  format: "html" | "markdown";
  body: string;
  element: string;
}[] = [
  {
    name: "<script> in an HTML body",
    format: "html",
    body: "<p>نص</p><script>alert(1)</script>",
    element: "script",
  },
  {
    name: "]]> followed by a <script> tag",
    format: "html",
    body: "<p>نص]]></p><script>alert(document.cookie)</script>]]>",
    element: "script",
  },
  {
    name: "<script> in a Markdown body",
    format: "markdown",
    body: "فقرة\n\n<script>alert(1)</script>",
    element: "script",
  },
  {
    name: "an unclosed <script>",
    format: "html",
    body: "<p>نص</p><script>alert(1)",
    element: "script",
  },
  {
    name: "upper-case <SCRIPT>",
    format: "html",
    body: "<SCRIPT>alert(1)</SCRIPT>",
    element: "script",
  },
  {
    name: "a <script> split around another one",
    format: "html",
    body: "<scr<script></script>ipt>alert(1)</script>",
    element: "script",
  },
  {
    name: "an <iframe>",
    format: "html",
    body: '<iframe src="https://evil.example/"></iframe>',
    element: "iframe",
  },
  {
    name: "an <svg> with onload",
    format: "html",
    body: '<svg onload="alert(1)"><circle r="1"/></svg>',
    element: "svg",
  },
  {
    name: "an <object>",
    format: "html",
    body: '<object data="https://evil.example/x.swf"></object>',
    element: "object",
  },
  {
    name: "an <embed>",
    format: "html",
    body: '<embed src="https://evil.example/x.swf">',
    element: "embed",
  },
  {
    name: "a <style> element",
    format: "html",
    body: "<style>body{display:none}</style><p>نص</p>",
    element: "style",
  },
];

describe("dangerous elements are refused at ingestion", () => {
  it.each(DANGEROUS_BODIES)("422 for $name", async ({ name, format, body, element }) => {
    const slug = `unsafe-${DANGEROUS_BODIES.findIndex((d) => d.name === name)}`;
    const error = await expectRefusedWithoutChange(
      () => publish(slug, sampleArticle({ format, body })),
      422,
      [slug],
    );
    expect(error.code).toBe("invalid_article");
    expect(fieldPaths(error)).toContain("body");
    // The message names the element, so the editor knows what to remove.
    expect(error.fields?.map((f) => f.message).join(" ")).toContain(`<${element}>`);
  });

  it("whatever was sent, no feed or page carries executable markup", async () => {
    const slugs: string[] = [];
    for (const [i, { format, body }] of DANGEROUS_BODIES.entries()) {
      const slug = `defence-${i}`;
      const res = await publish(slug, sampleArticle({ format, body }));
      // Refused (the contract) or, today, accepted and sanitised; never anything else.
      expect([201, 422], body).toContain(res.status);
      if (res.status === 201) slugs.push(slug);
    }
    const [rss, atom, json] = await snapshotFeeds();
    const rendered = [
      ...elementContents(rss ?? "", "content:encoded").map(xmlText),
      ...elementContents(atom ?? "", "content").map(xmlText),
      ...jsonItems(json ?? "").map(
        (item) => (item as unknown as { content_html: string }).content_html,
      ),
      ...(await Promise.all(slugs.map(async (s) => (await request(`/articles/${s}`)).text()))),
    ];
    expect(rendered.length).toBeGreaterThanOrEqual(3);
    for (const html of rendered) {
      expect(html).not.toMatch(/<\s*(script|iframe|svg|object|embed|style)\b/i);
      expect(html).not.toMatch(/\son\w+\s*=/i);
      expect(html).not.toMatch(/javascript:/i);
      expect(html).not.toContain("alert(");
    }
  });
});

// ---- text that looks like markup ----------------------------------------------------

describe("titles are text: ]]>, & and < are accepted and escaped", () => {
  const slug = "markup-like-title";
  const article = sampleArticle({
    title: "عنوان ]]> & < نص",
    summary: "ملخص فيه ]]> و & و <",
    body: "فقرة فيها ]]> و & و < كلها نص.",
    dateline: "القدس <&>",
  });

  it("is accepted and round-trips through the API unchanged", async () => {
    const created = await publishOk(slug, article);
    expect(created.title).toBe(article.title);
    const res = await getArticle(slug);
    expect(res.status).toBe(200);
    const stored = (await res.json()) as Record<string, unknown>;
    for (const key of ["title", "summary", "body", "dateline"])
      expect(stored[key]).toBe(article[key]);
  });

  it("the RSS feed stays well-formed and carries the title as escaped text", async () => {
    const rss = await (await request("/feed.xml")).text();
    expect(xmlProblems(rss)).toEqual([]);
    for (const raw of elementContents(rss, "title")) {
      expect(raw).not.toContain("<");
      expect(raw).not.toContain("]]>");
    }
    const item = rssItems(rss).find((i) => i.guid === articleUrl(slug));
    expect(item).toBeDefined();
    // Escaped twice (readers take RSS titles as HTML; README "Plain text in RSS").
    expect(elementContents(item?.raw ?? "", "title")[0]).toContain("]]&gt; &#x26;amp; &#x26;lt;");
    expect(xmlText(stripMarks(item?.title ?? ""))).toBe(article.title);
  });

  it("the Atom feed stays well-formed and carries the title as escaped text", async () => {
    const atom = await (await request("/atom.xml")).text();
    expect(xmlProblems(atom)).toEqual([]);
    for (const raw of elementContents(atom, "title")) {
      expect(raw).not.toContain("<");
      expect(raw).not.toContain("]]>");
    }
    const entry = atomEntries(atom).find((e) => e.id === articleUrl(slug));
    expect(entry).toBeDefined();
    expect(stripMarks(entry?.title ?? "")).toBe(article.title);
  });

  it("the JSON feed parses and carries the title as it was written", async () => {
    const items = jsonItems(await (await request("/feed.json")).text());
    const item = items.find((i) => i.id === articleUrl(slug));
    expect(stripMarks(item?.title ?? "")).toBe(article.title);
  });

  it("category and author feeds stay well-formed too", async () => {
    for (const path of [
      "/categories/politics/feed.xml",
      "/categories/politics/atom.xml",
      "/authors/saeed-ereikat/feed.xml",
      "/authors/saeed-ereikat/atom.xml",
    ]) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      expect(xmlProblems(await res.text()), path).toEqual([]);
    }
  });

  it("the article page shows the title escaped, never as markup", async () => {
    const page = await (await request(`/articles/${slug}`)).text();
    expect(page).not.toContain(article.title as string);
    expect(page).toContain("عنوان ]]&gt; &amp; &lt; نص");
  });
});

describe("the XML well-formedness check used above", () => {
  it("accepts well-formed XML and reports each kind of breakage", () => {
    const ok =
      '<?xml version="1.0"?>\n<a x="1 &amp; 2"><b>t &lt; u ]]&gt;</b><c/><![CDATA[<x>]]></a>\n';
    expect(xmlProblems(ok)).toEqual([]);
    for (const bad of [
      "<a><title>x ]]> y</title></a>",
      "<a><title>x < y</title></a>",
      "<a><title>x & y</title></a>",
      "<a><b></a></b>",
      "<a><b></a>",
      "<a/><b/>",
      '<a x="1" x="2"/>',
      '<a x="<"/>',
      "<a>\u0001</a>",
      "<a>\uFFFE</a>",
    ]) {
      expect(xmlProblems(bad), bad).not.toEqual([]);
    }
  });
});
