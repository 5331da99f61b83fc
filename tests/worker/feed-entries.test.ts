/**
 * Each record's rendered feed entry is stored beside it, so a writer that starts cold
 * renders feeds from JSON instead of parsing every item's Markdown again: used only when
 * this build rendered it from this very record, and the same bytes either way.
 */
import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { publisherOf, siteOf } from "../../src/worker/site-config.ts";
import { PARSERS, parseWith } from "../../tools/feed-parsers.ts";
import { publish, remove, request, sampleArticle } from "./helpers.ts";
import { readRawEntry, readRawRecord, writeRawEntry, writeRawRecord } from "./stored-records.ts";

const atomEntryOf = (feed: string, slug: string): string | undefined =>
  feed.match(
    new RegExp(`<entry>(?:(?!</entry>).)*?/articles/${slug}<(?:(?!</entry>).)*</entry>`, "s"),
  )?.[0];

describe("stored feed entries", () => {
  it("a publish stores its entry; a cold writer's feeds are byte for byte what a warm one wrote", async () => {
    expect(
      (await publish("entry-a", sampleArticle({ title: "أ", body: "**نص** _أ_ [رابط](/x)" })))
        .status,
    ).toBe(201);
    const row = await readRawEntry("entry-a");
    expect(row?.build).toBe(siteOf(env).build);
    const warm = await (await request("/atom.xml")).text();

    await evictDurableObject(publisherOf(env));
    expect((await publish("entry-b", sampleArticle({ title: "ب" }))).status).toBe(201);
    const cold = await (await request("/atom.xml")).text();
    expect(atomEntryOf(cold, "entry-a")).toBeDefined();
    expect(atomEntryOf(cold, "entry-a")).toBe(atomEntryOf(warm, "entry-a"));
    // And every parser reads the two the same.
    for (const parser of PARSERS.atom) {
      const itemA = (feed: string) =>
        parseWith(parser, feed, "atom").items.filter((item) => item.title === "أ");
      expect(itemA(cold)).toHaveLength(1);
      expect(itemA(cold)).toEqual(itemA(warm));
    }
  });

  it("is what a cold writer renders from, when it is this build's and of this record", async () => {
    expect((await publish("entry-used", sampleArticle({ title: "مستعمل" }))).status).toBe(201);
    const row = (await readRawEntry("entry-used")) as NonNullable<
      Awaited<ReturnType<typeof readRawEntry>>
    >;
    const marked = (text: string) => {
      const entry = JSON.parse(row.entry);
      entry.contentHtml = entry.contentHtml.replace("</div>", `<p>${text}</p></div>`);
      return JSON.stringify(entry);
    };
    // Planted: the stored entry with a marker. A cold writer shows it: it did not parse again.
    await writeRawEntry("entry-used", { ...row, entry: marked("علامة-مخزنة") });
    await evictDurableObject(publisherOf(env));
    expect((await publish("entry-next-1", sampleArticle())).status).toBe(201);
    expect(await (await request("/feed.json")).text()).toContain("علامة-مخزنة");

    // Another build's entry is rendered again.
    await writeRawEntry("entry-used", {
      ...row,
      build: "another-build",
      entry: marked("بناء-آخر"),
    });
    await evictDurableObject(publisherOf(env));
    expect((await publish("entry-next-2", sampleArticle())).status).toBe(201);
    const json = await (await request("/feed.json")).text();
    expect(json).not.toContain("بناء-آخر");
    expect(json).not.toContain("علامة-مخزنة");
    // …and the entry rendered from the record replaces it, for the next cold start.
    expect((await readRawEntry("entry-used"))?.build).toBe(siteOf(env).build);

    // A record changed behind the writer's back does not match its entry: rendered again.
    await writeRawEntry("entry-used", { ...row, entry: marked("سجل-قديم") });
    const record = JSON.parse((await readRawRecord("entry-used")) as string);
    record.article.body = "نص جديد من السجل.";
    await writeRawRecord("entry-used", JSON.stringify(record));
    await evictDurableObject(publisherOf(env));
    expect((await publish("entry-next-3", sampleArticle())).status).toBe(201);
    const after = await (await request("/feed.json")).text();
    expect(after).not.toContain("سجل-قديم");
    expect(after).toContain("نص جديد من السجل.");
  });

  it.each([
    ["not JSON", "json", () => "{not json"],
    [
      "JSON of another shape",
      "shape",
      (entry: string) => JSON.stringify({ ...JSON.parse(entry), contentHtml: 42 }),
    ],
    ["null", "null", () => "null"],
  ])(
    "a stored entry that is %s is logged, and the record rendered again",
    async (_, name, spoil) => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      const broken = `entry-broken-${name}`;
      const body = `نص سليم ${name}.`;
      expect((await publish(broken, sampleArticle({ body }))).status).toBe(201);
      const row = (await readRawEntry(broken)) as NonNullable<
        Awaited<ReturnType<typeof readRawEntry>>
      >;
      await writeRawEntry(broken, { ...row, entry: spoil(row.entry) });
      await evictDurableObject(publisherOf(env));
      expect((await publish(`entry-next-${name}`, sampleArticle())).status).toBe(201);
      const feed = await (await request("/feed.json")).text();
      expect(feed).toContain(body);
      expect(feed).toContain(`/articles/entry-next-${name}`);
      expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toContain(`article:${broken}`);
      errors.mockRestore();
    },
  );

  it("a deleted article's entry goes with its record", async () => {
    expect((await publish("entry-gone", sampleArticle())).status).toBe(201);
    expect(await readRawEntry("entry-gone")).not.toBeNull();
    expect((await remove("entry-gone")).status).toBeLessThan(300);
    expect(await readRawEntry("entry-gone")).toBeNull();
  });
});
