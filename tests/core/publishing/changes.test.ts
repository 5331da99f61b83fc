/** The rules of a change, on plain data. */
import { describe, expect, it } from "vitest";
import { catalogEntryOf } from "../../../src/core/catalog.ts";
import { applyPublish, applyRemove } from "../../../src/core/publishing/changes.ts";
import { article } from "../../support/catalog-fixtures.ts";

const NOW = "2026-12-01T10:00:00.000Z";
const LATER = "2026-12-01T11:00:00.000Z";

describe("applyPublish", () => {
  it("a new article gets the next number and is dated by its own publication time", () => {
    const a = article();
    const out = applyPublish({
      slug: "s",
      article: a,
      before: undefined,
      previous: undefined,
      nextSeq: 7,
      nowIso: NOW,
    });
    expect(out.status).toBe("created");
    if (out.status === "unchanged") throw new Error("unreachable");
    expect(out.record).toMatchObject({ slug: "s", seq: 7, created: NOW, updated: a.published });
    expect(out.entry).toEqual(catalogEntryOf(out.record));
  });

  it("an edit keeps number and creation time and is dated now", () => {
    const first = applyPublish({
      slug: "s",
      article: article(),
      before: undefined,
      previous: undefined,
      nextSeq: 3,
      nowIso: NOW,
    });
    if (first.status === "unchanged") throw new Error("unreachable");
    const edit = applyPublish({
      slug: "s",
      article: article({ title: "عنوان جديد" }),
      before: first.entry,
      previous: first.record,
      nextSeq: 99,
      nowIso: LATER,
    });
    expect(edit.status).toBe("updated");
    expect(edit.record).toMatchObject({ seq: 3, created: NOW, updated: LATER });
  });

  it("the same article again, whatever its key order, changes nothing", () => {
    const first = applyPublish({
      slug: "s",
      article: article(),
      before: undefined,
      previous: undefined,
      nextSeq: 1,
      nowIso: NOW,
    });
    if (first.status === "unchanged") throw new Error("unreachable");
    const reordered = Object.fromEntries(Object.entries(article()).reverse()) as ReturnType<
      typeof article
    >;
    const again = applyPublish({
      slug: "s",
      article: reordered,
      before: first.entry,
      previous: first.record,
      nextSeq: 2,
      nowIso: LATER,
    });
    expect(again).toEqual({ status: "unchanged", record: first.record });
  });

  it("re-creating a deleted article keeps its number (and archive page) and is created", () => {
    const first = applyPublish({
      slug: "s",
      article: article(),
      before: undefined,
      previous: undefined,
      nextSeq: 5,
      nowIso: NOW,
    });
    if (first.status === "unchanged") throw new Error("unreachable");
    const tombstone = applyRemove(first.entry, LATER);
    const again = applyPublish({
      slug: "s",
      article: article(),
      before: tombstone,
      previous: undefined,
      nextSeq: 9,
      nowIso: LATER,
    });
    expect(again.status).toBe("created");
    expect(again.record.seq).toBe(5);
    // Dated now: readers that saw the deletion must see the article as changed.
    expect(again.record.updated).toBe(LATER);
  });
});

describe("applyRemove", () => {
  it("turns a live entry into a tombstone dated now", () => {
    const first = applyPublish({
      slug: "s",
      article: article(),
      before: undefined,
      previous: undefined,
      nextSeq: 1,
      nowIso: NOW,
    });
    if (first.status === "unchanged") throw new Error("unreachable");
    expect(applyRemove(first.entry, LATER)).toEqual({ ...first.entry, deleted: LATER });
  });

  it("has nothing to remove when there is no entry or it is already deleted", () => {
    expect(applyRemove(undefined, NOW)).toBeUndefined();
    const first = applyPublish({
      slug: "s",
      article: article(),
      before: undefined,
      previous: undefined,
      nextSeq: 1,
      nowIso: NOW,
    });
    if (first.status === "unchanged") throw new Error("unreachable");
    expect(applyRemove(applyRemove(first.entry, NOW), LATER)).toBeUndefined();
  });
});
