/**
 * What the figures were measured on. Benchmark numbers without the machine are not
 * comparable, so the report starts with this (and the README table repeats it).
 */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the benchmark started: others' work skews the figures. */
  load: number;
  versions: Record<string, string>;
}

function cpuModel(): string {
  try {
    const info = readFileSync("/proc/cpuinfo", "utf8");
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1];
    if (model) return model.trim();
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return cpus()[0]?.model ?? "unknown";
}

/** The installed version, read from node_modules (some packages do not export package.json). */
function versionOf(pkg: string): string {
  try {
    const file = join(process.cwd(), "node_modules", pkg, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

export function describeMachine(): Machine {
  return {
    cpu: cpuModel(),
    cores: availableParallelism(),
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    os: `${process.platform} ${process.arch}`,
    load: loadavg()[0] ?? 0,
    versions: Object.fromEntries(
      ["wrangler", "miniflare", "workerd", "feed", "autocannon", "hono"].map((p) => [
        p,
        versionOf(p),
      ]),
    ),
  };
}
