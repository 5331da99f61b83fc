/**
 * Which CPUs the bench's processes may run on (Linux `taskset`, util-linux). The flood
 * bench uses it to keep the load generator and the Worker that answers the flood off the
 * CPU of the writer, as production keeps edge isolates and the Publisher's Durable Object
 * on different machines: on a 2-core VM, unpinned, the four busy processes (autocannon,
 * two workerds, the bench) share both cores, and a publish's latency then measures the
 * scheduler as much as what reaches the writer.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** The CPUs a process may run on ("0,1" or "0-3,6"), as taskset lists them. */
export function affinityOf(pid: number): string {
  const out = execFileSync("taskset", ["-c", "-p", String(pid)], { encoding: "utf8" });
  const list = /list:\s*(\S+)/.exec(out)?.[1];
  if (!list) throw new Error(`taskset printed no CPU list: ${out}`);
  return list;
}

/** "0-2,5" as [0, 1, 2, 5]. */
export function cpusIn(list: string): number[] {
  return list.split(",").flatMap((part) => {
    const [from, to = from] = part.split("-").map(Number) as [number, number?];
    return Array.from({ length: (to as number) - from + 1 }, (_, i) => from + i);
  });
}

/** This process's CPUs before anything here pinned it: the list to give back afterwards. */
let original: string | undefined;

export interface CpuHalves {
  /** For the load generator and the Worker that answers the flood. */
  flood: string;
  /** For the writer's workerd and the publishing client. */
  writer: string;
  /** Every CPU this process started with: to give back to each pinned process. */
  all: string;
}

/** Two disjoint halves of this process's CPUs, or undefined where pinning is not possible here. */
export function cpuHalves(): CpuHalves | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    original ??= affinityOf(process.pid);
  } catch {
    return undefined; // no taskset here
  }
  const cpus = cpusIn(original);
  if (cpus.length < 2) return undefined;
  const half = Math.floor(cpus.length / 2);
  return {
    flood: cpus.slice(0, half).join(","),
    writer: cpus.slice(half).join(","),
    all: original,
  };
}

/** Runs every thread of `pid` (and those it starts later) on `cpus` only. */
export function pin(pid: number, cpus: string): void {
  execFileSync("taskset", ["-a", "-c", "-p", cpus, String(pid)], { stdio: "ignore" });
}

/**
 * The process that listens on a TCP port of this machine: Miniflare starts workerd and
 * gives its socket, not its process id. Read from /proc (the socket's inode in
 * /proc/net/tcp*, then the process holding a descriptor to it).
 */
export function pidListeningOn(port: number): number {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const LISTEN = "0A";
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (local?.endsWith(hexPort) && state === LISTEN && inode) inodes.add(inode);
    }
  }
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (socket && inodes.has(socket[1] as string)) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  throw new Error(`no process of this machine listens on port ${port}`);
}
