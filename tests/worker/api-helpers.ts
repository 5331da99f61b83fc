/**
 * Helpers for the admin API tests: raw requests, error bodies, the observable state of
 * the store (API + feeds) and small, strict readers of the three feed formats.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { Env } from "../../src/worker/env.ts";
import app from "../../src/worker/index.ts";
import {
  BASE,
  feedEtags,
  publish,
  remove,
  request,
  sampleArticle,
  snapshotFeeds,
  TOKEN,
} from "./helpers.ts";

export const AUTH = { Authorization: `Bearer ${TOKEN}` } as const;
export const JSON_TYPE = { "Content-Type": "application/json" } as const;

/** A PUT whose body and headers are exactly what the caller gives (no JSON.stringify). */
export function putRaw(
  slug: string,
  body: BodyInit | null,
  headers: Record<string, string> = { ...AUTH, ...JSON_TYPE },
): Promise<Response> {
  return request(`/api/articles/${slug}`, { method: "PUT", headers, body });
}

/** Calls the app's own fetch with a changed environment (e.g. no ADMIN_TOKEN). */
export async function fetchWithEnv(
  path: string,
  init: RequestInit,
  overrides: Partial<Env>,
): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(new URL(path, BASE), init),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

export function getArticle(slug: string, headers: Record<string, string> = AUTH) {
  return request(`/api/articles/${slug}`, { headers });
}

export function listArticles(query = "", headers: Record<string, string> = AUTH) {
  return request(`/api/articles${query}`, { headers });
}

export interface ApiErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[] };
}

/** Asserts the status and that the refusal is a JSON error document; returns it. */
export async function expectError(res: Response, status: number): Promise<ApiErrorBody["error"]> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("Content-Type") ?? "").toMatch(/^application\/json\s*(;|$)/);
  const body = JSON.parse(text) as ApiErrorBody;
  expect(typeof body.error?.code).toBe("string");
  expect(typeof body.error?.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  return body.error;
}

/** The field paths an error names, each checked to carry a non-empty message. */
export function fieldPaths(error: ApiErrorBody["error"]): string[] {
  expect(Array.isArray(error.fields), "error.fields must be a list").toBe(true);
  for (const field of error.fields ?? []) {
    expect(typeof field.path).toBe("string");
    expect(typeof field.message).toBe("string");
    expect(field.message.length).toBeGreaterThan(0);
  }
  return (error.fields ?? []).map((f) => f.path);
}

export interface ListPage {
  total: number;
  articles: { slug: string; url: string; published: string; updated: string }[];
  next: string | null;
}

/** Everything a client can observe of the store: the list, some articles and the feeds. */
export async function observeState(slugs: string[]): Promise<{
  list: string;
  articles: string[];
  feeds: string[];
  etags: (string | null)[];
}> {
  const list = await (await listArticles("?limit=100")).text();
  const articles = await Promise.all(slugs.map(async (s) => (await getArticle(s)).text()));
  const feeds = await snapshotFeeds();
  return { list, articles, feeds, etags: await feedEtags() };
}

/** Deletes every live article, so a test can start from an empty catalogue. */
export async function clearAll(): Promise<void> {
  for (;;) {
    const page = (await (await listArticles("?limit=100")).json()) as ListPage;
    if (page.articles.length === 0) break;
    for (const a of page.articles) expect((await remove(a.slug)).status).toBe(204);
  }
  const after = (await (await listArticles()).json()) as ListPage;
  expect(after.total).toBe(0);
}

export async function publishOk(
  slug: string,
  overrides: Record<string, unknown> = {},
  status: 200 | 201 = 201,
): Promise<Record<string, unknown>> {
  const res = await publish(slug, sampleArticle(overrides));
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as Record<string, unknown>;
}

export const articleUrl = (slug: string) => `http://localhost:8787/articles/${slug}`;

// ---- reading the feeds ------------------------------------------------------------

const XML_UNESCAPES: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&apos;": "'",
};

/** Decodes the five predefined entities and character references. */
export function xmlText(escaped: string): string {
  return escaped.replace(/&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (e) => {
    if (e.startsWith("&#x")) return String.fromCodePoint(Number.parseInt(e.slice(3, -1), 16));
    if (e.startsWith("&#")) return String.fromCodePoint(Number.parseInt(e.slice(2, -1), 10));
    return XML_UNESCAPES[e] as string;
  });
}

/** The raw (still escaped) contents of every `<name …>…</name>` element, in order. */
export function elementContents(xml: string, name: string): string[] {
  const re = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, "g");
  return [...xml.matchAll(re)].map((m) => m[1] as string);
}

/** RSS items, each with its guid and title (decoded). */
export function rssItems(xml: string): { guid: string; title: string; raw: string }[] {
  return elementContents(xml, "item").map((raw) => ({
    guid: xmlText(elementContents(raw, "guid")[0] ?? ""),
    title: xmlText(elementContents(raw, "title")[0] ?? ""),
    raw,
  }));
}

/** Atom entries (not tombstones), each with its id, title and updated (decoded). */
export function atomEntries(
  xml: string,
): { id: string; title: string; updated: string; raw: string }[] {
  return elementContents(xml, "entry").map((raw) => ({
    id: xmlText(elementContents(raw, "id")[0] ?? ""),
    title: xmlText(elementContents(raw, "title")[0] ?? ""),
    updated: elementContents(raw, "updated")[0] ?? "",
    raw,
  }));
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  date_published: string;
  date_modified: string;
}

export function jsonItems(text: string): JsonFeedItem[] {
  return (JSON.parse(text) as { items: JsonFeedItem[] }).items;
}

/** Removes the direction marks (RLM/LRM) the renderers may put in front of text. */
export const stripMarks = (s: string) => s.replace(/^[\u200e\u200f]/, "");

/**
 * A small, strict XML 1.0 well-formedness check (no DTDs): one root element, properly
 * nested and closed tags, quoted attributes without `<`, no duplicate attributes, only
 * the predefined entities or character references, no `]]>` in text, nothing but
 * whitespace outside the root, and only characters XML allows. Returns the problems
 * found (empty when well-formed). DOMParser does not exist in workerd.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 Char production.
  const forbidden = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.exec(xml);
  if (forbidden) problems.push(`forbidden character at ${forbidden.index}`);
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const name = "[A-Za-z_][\\w.:-]*";
  const openTag = new RegExp(
    `^<(${name})((?:\\s+${name}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>$`,
  );
  const closeTag = new RegExp(`^</(${name})\\s*>$`);
  const stack: string[] = [];
  let roots = 0;
  const body = xml.replace(/^\uFEFF?<\?xml[^?]*\?>/, "");
  const tokens = body.match(
    /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<[^<>]*>|[^<]+|</g,
  );
  for (const token of tokens ?? []) {
    if (token.startsWith("<![CDATA[")) {
      if (stack.length === 0) problems.push("CDATA outside the root element");
      continue;
    }
    if (token.startsWith("<!--")) {
      if (token.slice(4, -3).includes("--")) problems.push("'--' inside a comment");
      continue;
    }
    if (token.startsWith("<?")) {
      if (/^<\?xml[\s?]/i.test(token)) problems.push("XML declaration not at the start");
      continue;
    }
    if (token.startsWith("<")) {
      const close = closeTag.exec(token);
      if (close) {
        const open = stack.pop();
        if (open !== close[1]) problems.push(`</${close[1]}> closes <${open ?? "nothing"}>`);
        continue;
      }
      const open = openTag.exec(token);
      if (!open) {
        problems.push(`not a tag: ${JSON.stringify(token.slice(0, 60))}`);
        continue;
      }
      const attrs = [
        ...(open[2] ?? "").matchAll(new RegExp(`(${name})\\s*=\\s*("[^"]*"|'[^']*')`, "g")),
      ];
      const names = attrs.map((a) => a[1]);
      if (new Set(names).size !== names.length)
        problems.push(`duplicate attribute in <${open[1]}>`);
      for (const a of attrs) {
        if (entity.test(a[2] as string))
          problems.push(`bare & in attribute ${a[1]} of <${open[1]}>`);
      }
      if (stack.length === 0) roots++;
      if (open[3] !== "/") stack.push(open[1] as string);
      continue;
    }
    // Character data.
    if (stack.length === 0) {
      if (token.trim() !== "")
        problems.push(`text outside the root: ${JSON.stringify(token.slice(0, 40))}`);
      continue;
    }
    if (token.includes("]]>")) problems.push("']]>' in character data");
    if (entity.test(token)) problems.push(`bare & in text: ${JSON.stringify(token.slice(0, 60))}`);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(" > ")}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
