/**
 * Partner feeds as served by the Worker, in a newsroom with every profile enabled, MSN's
 * feed private and public documents limited to summaries (the worker-partners project
 * in vitest.config.ts): credentials, caching, the admin API's warnings, and that the full
 * text reaches partners and no public document.
 */
import { describe, expect, it } from "vitest";
import { parseAll } from "../../tools/feed-parsers.ts";
import { PARTNER_TEST_TOKEN } from "../support/admin-token.ts";
import { publish, remove, request, sampleArticle } from "./helpers.ts";

const FULL_TEXT = "نص-كامل-للمشتركين-فقط";
const withImage = {
  url: "http://localhost:8787/images/lead.jpg",
  type: "image/jpeg",
  width: 1200,
  height: 800,
  alt: "صورة",
};
const basic = (user: string, password: string) =>
  `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)))}`;

describe("partner feeds", () => {
  it("answer the admin API with what each partner will leave out", async () => {
    const res = await publish(
      "short-title",
      sampleArticle({ title: "قصير", body: `فقرة ${FULL_TEXT}.` }),
    );
    expect(res.status).toBe(201);
    const { warnings } = (await res.json()) as { warnings: { partner: string; message: string }[] };
    const partners = new Set(warnings.map((w) => w.partner));
    expect(partners).toEqual(new Set(["msn", "apple-news", "flipboard"]));
    expect(warnings.find((w) => w.partner === "msn")?.message).toMatch(/20–150 characters/);
  });

  it("serve a public partner feed with the full text, one that every parser reads", async () => {
    const res = await request("/partners/google-news/feed.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toMatch(/^public/);
    const text = await res.text();
    for (const parsed of parseAll(text, "rss"))
      expect(parsed.items[0]?.content ?? "", parsed.parser).toContain(FULL_TEXT);
  });

  it("keep the full text out of every public document (PUBLIC_CONTENT=summary)", async () => {
    for (const path of [
      "/feed.xml",
      "/atom.xml",
      "/feed.json",
      "/",
      "/feed.html",
      "/articles/short-title",
      "/categories/politics/feed.json",
      "/authors/saeed-ereikat/atom.xml",
      "/archive/1/feed.xml",
      "/news-sitemap.xml",
    ]) {
      const res = await request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain(FULL_TEXT);
    }
  });

  it("refuse a private feed without its credential, and never let a shared cache keep it", async () => {
    for (const authorization of [undefined, "Bearer wrong", basic("msn", "wrong"), "Basic !!!"]) {
      const res = await request("/partners/msn/feed.xml", {
        headers: authorization ? { Authorization: authorization } : {},
      });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.headers.get("WWW-Authenticate")).toMatch(/Basic realm="msn"/);
      expect(res.headers.get("WWW-Authenticate")).toMatch(/Bearer realm="msn"/);
      expect(await res.text()).not.toContain("<rss");
    }
  });

  it("serve a private feed to its token, as Bearer or as Basic's password", async () => {
    expect(
      (
        await publish(
          "with-image",
          sampleArticle({
            title: "عنوان طويل بما يكفي لشركة مايكروسوفت",
            image: withImage,
            published: new Date(Date.now() - 3_600_000).toISOString(),
          }),
        )
      ).status,
    ).toBe(201);
    for (const authorization of [
      `Bearer ${PARTNER_TEST_TOKEN}`,
      basic("msn", PARTNER_TEST_TOKEN),
    ]) {
      const res = await request("/partners/msn/feed.xml", {
        headers: { Authorization: authorization },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("Cache-Control")).toBe("private, max-age=60");
      expect(res.headers.get("Vary")).toMatch(/Authorization/);
      const text = await res.text();
      expect(text).toContain("/articles/with-image");
      expect(text).not.toContain("/articles/short-title"); // no image, title too short
    }
  });

  it("announce a takedown in MSN's form and drop it from the other partner feeds", async () => {
    expect((await remove("with-image")).status).toBe(204);
    const msn = await (
      await request("/partners/msn/feed.xml", {
        headers: { Authorization: `Bearer ${PARTNER_TEST_TOKEN}` },
      })
    ).text();
    expect(msn).toMatch(/<guid isPermaLink="true">[^<]*\/articles\/with-image<\/guid>/);
    expect(msn).toMatch(/<mi:expirationDate>/);
    const google = await (await request("/partners/google-news/feed.xml")).text();
    expect(google).not.toContain("/articles/with-image");
  });

  it("answer 404 for a partner that is not enabled, without a render", async () => {
    expect((await request("/partners/yahoo/feed.xml")).status).toBe(404);
    expect((await request("/partners/msn/atom.xml")).status).toBe(404);
  });
});
