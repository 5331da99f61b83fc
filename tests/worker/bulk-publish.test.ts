/**
 * Bulk publishing (PUT /api/articles): every article checked first, one commit and one
 * render of the shared documents per request, all or nothing; and the digests a sync
 * compares its files with.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { validateArticle } from "../../src/core/article.ts";
import { articleDigest } from "../../src/core/publishing/canonical.ts";
import { BULK_MAX_ARTICLES } from "../../src/core/publishing/limits.ts";
import { publisherOf, siteOf } from "../../src/worker/site-config.ts";
import { publish, request, sampleArticle, snapshotFeeds, TOKEN } from "./helpers.ts";

const bulk = (articles: unknown[]) =>
  request("/api/articles", {
    method: "PUT",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ articles }),
  });
const item = (slug: string, overrides: Record<string, unknown> = {}) => ({
  slug,
  ...sampleArticle({ title: `عنوان ${slug}`, ...overrides }),
});
const feedIds = async () =>
  ((await (await request("/feed.json")).json()) as { items: { id: string }[] }).items.map(
    (i) => i.id,
  );

describe("PUT /api/articles (bulk)", () => {
  it("publishes a batch in one commit; the shared feeds follow in one deferred rebuild", async () => {
    // The site's feeds exist already, as on any running site.
    expect((await publish("before-bulk", sampleArticle())).status).toBe(201);
    const before = (await publisherOf(env).stats()).rebuilds;
    const slugs = Array.from({ length: 40 }, (_, i) => `bulk-${i}`);
    const response = await bulk(slugs.map((s) => item(s)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      created: number;
      updated: number;
      unchanged: number;
      articles: { slug: string; status: string; url: string }[];
    };
    expect(body).toMatchObject({ created: 40, updated: 0, unchanged: 0 });
    expect(body.articles[0]).toMatchObject({
      slug: "bulk-0",
      status: "created",
      url: "http://localhost:8787/articles/bulk-0",
    });
    // The articles' own pages are there at once…
    expect((await request("/articles/bulk-39")).status).toBe(200);
    // …and the writer says it still has the shared feeds to do.
    expect((await publisherOf(env).stats()).idle).toBe(false);
    // …and the feeds within seconds, rendered once for the whole batch.
    const ids = slugs.map((s) => `http://localhost:8787/articles/${s}`);
    let seen = await feedIds();
    for (let i = 0; i < 100 && !ids.every((id) => seen.includes(id)); i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await feedIds();
    }
    expect(seen).toEqual(expect.arrayContaining(ids));
    // Idle once that rebuild is done (its last documents may follow the feed).
    let idle = false;
    for (let i = 0; i < 100 && !idle; i++) {
      idle = (await publisherOf(env).stats()).idle;
      if (!idle) await new Promise((r) => setTimeout(r, 50));
    }
    expect(idle).toBe(true);
    expect((await publisherOf(env).stats()).rebuilds - before).toBe(2);

    const again = await bulk([item("bulk-0"), item("bulk-1", { title: "عنوان معدل" })]);
    expect(await again.json()).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
  });

  it.each([
    ["a field error", [item("ok-1"), item("bad-1", { title: "" })], "articles.1.title"],
    ["a missing slug", [item("ok-2"), sampleArticle()], "articles.1.slug"],
    ["a slug twice", [item("twice"), item("twice")], "articles.1.slug"],
    [
      "unsafe markup",
      [item("ok-3"), item("bad-3", { body: "<script>x</script>", format: "html" })],
      "articles.1.body",
    ],
    [
      "a body too large once rendered",
      [item("ok-4"), item("bad-4", { body: '"'.repeat(200_000) })],
      "articles.1.body",
    ],
  ])(
    "one article with %s refuses the whole batch, naming its index; nothing changes",
    async (_, articles, path) => {
      const before = await snapshotFeeds();
      const response = await bulk(articles);
      expect(response.status).toBe(422);
      const { error } = (await response.json()) as { error: { fields: { path: string }[] } };
      expect(error.fields.map((f) => f.path)).toContain(path);
      expect(await snapshotFeeds()).toEqual(before);
      for (const a of articles as { slug?: string }[])
        if (a.slug) expect((await request(`/articles/${a.slug}`)).status).toBe(404);
    },
  );

  it("refuses an empty batch and one over the limit", async () => {
    expect((await bulk([])).status).toBe(422);
    const tooMany = Array.from({ length: BULK_MAX_ARTICLES + 1 }, (_, i) => item(`many-${i}`));
    const response = await bulk(tooMany);
    expect(response.status).toBe(422);
    expect(JSON.stringify(await response.json())).toContain(`1 to ${BULK_MAX_ARTICLES} articles`);
  });
});

describe("GET /api/digests", () => {
  it("gives each live article's digest, equal to the digest of the validated article, a page at a time", async () => {
    const slugs = ["digest-a", "digest-b", "digest-c"];
    expect((await bulk(slugs.map((s) => item(s)))).status).toBe(200);
    const auth = { headers: { Authorization: `Bearer ${TOKEN}` } };
    const first = (await (await request("/api/digests?after=digest-&limit=2", auth)).json()) as {
      digests: Record<string, string>;
      next: string;
    };
    expect(Object.keys(first.digests)).toEqual(["digest-a", "digest-b"]);
    const checked = validateArticle(item("digest-a"), "digest-a");
    if (!checked.ok) throw new Error("fixture");
    expect(first.digests["digest-a"]).toBe(await articleDigest(checked.article));
    const second = (await (await request(first.next, auth)).json()) as {
      digests: Record<string, string>;
    };
    expect(Object.keys(second.digests)[0]).toBe("digest-c");
  });

  it("the writer uses the body HTML the Worker rendered only from its own build and for that very body", async () => {
    const { build } = siteOf(env);
    const publishWith = async (slug: string, rendered: { build: string; html: string }) => {
      const article = validateArticle(sampleArticle({ body: `نص ${slug} الحقيقي.` }), slug);
      if (!article.ok) throw new Error("fixture");
      const result = await publisherOf(env).publish({ slug, article: article.article, rendered });
      expect(result.status).toBe("created");
      return (await request(`/articles/${slug}`)).text();
    };
    // What the Worker hands over is what the page shows: no second parse.
    expect(await publishWith("handed-html", { build, html: "<p>من العامل</p>" })).toContain(
      "من العامل",
    );
    // Another build's rendering (a deploy in progress) is rendered again here.
    const other = await publishWith("other-build", { build: `${build}x`, html: "<p>قديم</p>" });
    expect(other).not.toContain("قديم");
    expect(other).toContain("نص other-build الحقيقي.");
  });
});
