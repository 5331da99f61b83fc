/**
 * The flood bench's CPU pinning (tools/bench/cpus.ts): which process listens on a port,
 * two disjoint halves of this process's CPUs, and a pin that holds for every thread.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { affinityOf, cpuHalves, cpusIn, pidListeningOn, pin } from "../../tools/bench/cpus.ts";

const hasTaskset = (() => {
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const linux = process.platform === "linux";

describe("cpusIn", () => {
  it("reads taskset's lists: single CPUs, ranges and both", () => {
    expect(cpusIn("0")).toEqual([0]);
    expect(cpusIn("0,1")).toEqual([0, 1]);
    expect(cpusIn("0-2,5,7-8")).toEqual([0, 1, 2, 5, 7, 8]);
  });
});

describe.skipIf(!linux)("pidListeningOn", () => {
  it("finds the process that listens on a port (here, this one), and refuses a free port", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };
    try {
      expect(pidListeningOn(port)).toBe(process.pid);
    } finally {
      server.close();
    }
    await once(server, "close");
    expect(() => pidListeningOn(port)).toThrow(
      `no process of this machine listens on port ${port}`,
    );
  });
});

describe.skipIf(!linux || !hasTaskset)("cpuHalves and pin", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it("splits this process's CPUs into two disjoint halves, and a pinned process runs on its half only", () => {
    const halves = cpuHalves();
    const all = cpusIn(affinityOf(process.pid));
    if (all.length < 2) {
      expect(halves).toBeUndefined();
      return;
    }
    if (!halves) throw new Error("expected halves on a machine with two CPUs and taskset");
    const flood = cpusIn(halves.flood);
    const writer = cpusIn(halves.writer);
    expect(flood.filter((cpu) => writer.includes(cpu))).toEqual([]);
    expect([...flood, ...writer].sort((a, b) => a - b)).toEqual(all);
    expect(cpusIn(halves.all)).toEqual(all);

    child = spawn("sleep", ["30"], { stdio: "ignore" });
    const pid = child.pid as number;
    pin(pid, halves.flood);
    expect(cpusIn(affinityOf(pid))).toEqual(flood);
    pin(pid, halves.all);
    expect(cpusIn(affinityOf(pid))).toEqual(all);
  });
});
