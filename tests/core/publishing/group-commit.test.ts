/** Serial changes and group commits, without a Durable Object. */
import { describe, expect, it } from "vitest";
import { GroupCommit, SerialQueue } from "../../../src/core/publishing/group-commit.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("SerialQueue", () => {
  it("runs tasks one at a time in arrival order, and a failure does not stop the next", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run(task("a")),
      queue.run(task("b", true)),
      queue.run(task("c")),
    ]);
    expect(log).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });
});

describe("GroupCommit", () => {
  it("requests made while a commit runs share the next one", async () => {
    let commits = 0;
    let running = 0;
    let overlapped = false;
    const group = new GroupCommit(async () => {
      running++;
      overlapped ||= running > 1;
      commits++;
      await tick();
      running--;
      return commits;
    });
    const first = group.request();
    await Promise.resolve();
    const during = Array.from({ length: 30 }, () => group.request());
    const results = await Promise.all([first, ...during]);
    expect(overlapped).toBe(false);
    expect(commits).toBeLessThanOrEqual(2);
    // Every request made after the first commit started is answered by a later commit.
    expect(new Set(results.slice(1)).size).toBe(1);
  });

  it("a request always gets a commit that started after it", async () => {
    const started: number[] = [];
    let n = 0;
    const group = new GroupCommit(async () => {
      started.push(++n);
      await tick();
      return n;
    });
    const a = group.request();
    await tick();
    const b = group.request();
    expect(await a).toBe(1);
    expect(await b).toBe(2);
  });

  it("a failed commit fails its requests only; the next commit runs", async () => {
    let n = 0;
    const group = new GroupCommit(async () => {
      n++;
      if (n === 1) throw new Error("boom");
      return n;
    });
    await expect(group.request()).rejects.toThrow("boom");
    await expect(group.request()).resolves.toBe(2);
  });
});
