/** KV's one write per second per key, kept by waiting instead of failing. */
import { describe, expect, it } from "vitest";
import { WritePacer } from "../../../src/core/publishing/write-pacer.ts";

function clock() {
  let now = 10_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

describe("WritePacer", () => {
  it("a key written again within the interval waits out the rest of it; others do not wait", async () => {
    const c = clock();
    const pacer = new WritePacer(1000, c.now, c.sleep);
    await pacer.ready(["doc:/feed.xml", "article:a"]);
    expect(c.sleeps).toEqual([]);
    c.advance(300);
    await pacer.ready(["article:b"]);
    expect(c.sleeps).toEqual([]);
    await pacer.ready(["doc:/feed.xml", "article:c"]);
    expect(c.sleeps).toEqual([700]);
    c.advance(1000);
    await pacer.ready(["doc:/feed.xml"]);
    expect(c.sleeps).toEqual([700]);
  });

  it("remembers only the keys written within the last interval", async () => {
    const c = clock();
    const pacer = new WritePacer(1000, c.now, c.sleep);
    for (let i = 0; i < 100; i++) {
      await pacer.ready([`article:${i}`]);
      c.advance(100);
    }
    expect(pacer.remembered).toBeLessThanOrEqual(11);
  });

  it("an interval of 0 never waits", async () => {
    const c = clock();
    const pacer = new WritePacer(0, c.now, c.sleep);
    await pacer.ready(["k"]);
    await pacer.ready(["k"]);
    expect(c.sleeps).toEqual([]);
  });
});
