/** The rules of a change, on plain data. */
import { describe, expect, it } from "vitest";
import { catalogEntryOf, statusOf } from "../../../src/core/catalog.ts";
import { applyDue, applyPublish, applyRemove } from "../../../src/core/publishing/changes.ts";
import { article } from "../../support/catalog-fixtures.ts";

const NOW = "2026-12-01T10:00:00.000Z";
const LATER = "2026-12-01T11:00:00.000Z";

/** The first version of a new article, numbered `seq`, published at NOW. */
function firstVersion(seq: number) {
  const out = applyPublish({
    slug: "s",
    article: article(),
    before: undefined,
    previous: undefined,
    nextSeq: seq,
    nowIso: NOW,
  });
  if (out.status === "unchanged") throw new Error("a new article is never unchanged");
  return out;
}

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
    const first = firstVersion(3);
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
    const first = firstVersion(1);
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
    const first = firstVersion(5);
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
    const first = firstVersion(1);
    expect(applyRemove(first.entry, LATER)).toEqual({ ...first.entry, deleted: LATER });
  });

  it("has nothing to remove when there is no entry or it is already deleted", () => {
    expect(applyRemove(undefined, NOW)).toBeUndefined();
    const first = firstVersion(1);
    expect(applyRemove(applyRemove(first.entry, NOW), LATER)).toBeUndefined();
  });
});

describe("visibility over time", () => {
  const FUTURE = "2026-12-02T09:00:00.000Z";
  const publishAt = (
    overrides: Parameters<typeof article>[0],
    before?: ReturnType<typeof applyRemove>,
    nowIso = NOW,
  ) => {
    const out = applyPublish({
      slug: "s",
      article: article(overrides),
      before,
      previous: undefined,
      nextSeq: 4,
      nowIso,
    });
    if (out.status === "unchanged") throw new Error("unreachable");
    return out;
  };

  it("a story dated in the future is scheduled, without an archive place until it is due", () => {
    const out = publishAt({ published: FUTURE });
    expect(statusOf(out.entry)).toBe("scheduled");
    expect(out.entry.seq).toBe(0);
    expect(out.record.updated).toBe(FUTURE);
    expect(applyDue(out.record, out.entry, "2026-12-02T08:59:59.999Z", 9)).toBeUndefined();
    const due = applyDue(out.record, out.entry, FUTURE, 9);
    expect(due && statusOf(due.entry)).toBe("live");
    expect(due?.entry.seq).toBe(9);
    expect(due?.record).toEqual({ ...out.record, seq: 9 });
  });

  it("a draft is held whatever its date; published, it gets its number", () => {
    const draft = publishAt({ draft: true });
    expect(statusOf(draft.entry)).toBe("draft");
    const live = publishAt({ draft: false }, draft.entry, LATER);
    expect(statusOf(live.entry)).toBe("live");
    expect(live.entry.seq).toBe(4);
    // Its first public version is dated by its publication time, not by the edit.
    expect(live.record.updated).toBe(article().published);
  });

  it("a live story whose expiry passes is retracted at the expiry time; its number stays", () => {
    const expires = "2026-12-01T10:30:00.000Z";
    const live = publishAt({ expires });
    expect(statusOf(live.entry)).toBe("live");
    const due = applyDue(live.record, live.entry, "2026-12-01T10:31:00.000Z", 9);
    expect(due?.entry).toMatchObject({ deleted: expires, expired: true, seq: 4 });
    expect(due && statusOf(due.entry)).toBe("expired");
  });

  it("a public story taken back to draft leaves with a tombstone dated now", () => {
    const live = publishAt({});
    const withdrawn = publishAt({ draft: true }, live.entry, LATER);
    expect(withdrawn.entry).toMatchObject({ hold: "draft", deleted: LATER, seq: 4 });
  });

  it("deleting a story that was never public leaves no archive place", () => {
    const scheduled = publishAt({ published: FUTURE });
    const removed = applyRemove(scheduled.entry, LATER);
    expect(removed && statusOf(removed)).toBe("deleted");
    expect(removed?.seq).toBe(0);
  });
});
