/**
 * Worker bundles, built by wrangler exactly as `wrangler deploy` would upload them
 * (`wrangler deploy --dry-run --outdir <tmp>`: production bundling settings, nothing
 * uploaded, no login). The benchmark runs these files in workerd, so what is measured
 * is what would be deployed; and wrangler's "Total Upload: … / gzip: …" line for the
 * real Worker is the bundle-size figure (Cloudflare's size limits apply to the gzip
 * size, and start-up time grows with it).
 *
 * wrangler is run with this process's Node (process.execPath, i.e. node_modules' Node
 * 24 under `npm run`), the same as `npx wrangler` there: a bare `wrangler` could pick up
 * the system Node 20, which wrangler refuses (TOOLCHAIN.md).
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

export interface BundleSize {
  totalKiB: number;
  gzipKiB: number;
  /** The line wrangler printed, for the record. */
  line: string;
}

export interface Build {
  /** The bundled entry module (outdir/<entry name>.js). */
  scriptPath: string;
  outdir: string;
  size: BundleSize;
}

const UNITS: Record<string, number> = { B: 1 / 1024, KiB: 1, MiB: 1024 };

/** Parses "Total Upload: 123.45 KiB / gzip: 34.56 KiB". */
export function parseTotalUpload(output: string): BundleSize | undefined {
  const match = /Total Upload:\s*([\d.]+)\s*(B|KiB|MiB)\s*\/\s*gzip:\s*([\d.]+)\s*(B|KiB|MiB)/.exec(
    output,
  );
  if (!match) return undefined;
  const [line, total, totalUnit, gzip, gzipUnit] = match as unknown as string[];
  const kib = (value = "", unit = "") => Number(value) * (UNITS[unit] ?? Number.NaN);
  return {
    totalKiB: kib(total, totalUnit),
    gzipKiB: kib(gzip, gzipUnit),
    line: line ?? "",
  };
}

function runWrangler(args: string[]): Promise<string> {
  const bin = join(
    createRequire(import.meta.url).resolve("wrangler/package.json"),
    "..",
    "bin",
    "wrangler.js",
  );
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    const collect = (chunk: Buffer) => {
      text += chunk.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`wrangler exited ${code}:\n${text}`)),
    );
  });
}

/**
 * Bundles `entry` (default: the config's `main`) with the given wrangler config into
 * `outdir`.
 */
export async function buildWorker(outdir: string, config: string, entry?: string): Promise<Build> {
  const output = await runWrangler([
    "deploy",
    "--dry-run",
    "--outdir",
    outdir,
    "--config",
    config,
    ...(entry ? [entry] : []),
  ]);
  const size = parseTotalUpload(output);
  if (!size) throw new Error(`no "Total Upload" line in wrangler's output:\n${output}`);
  const scripts = readdirSync(outdir).filter((f) => f.endsWith(".js"));
  if (scripts.length !== 1) {
    throw new Error(`expected one bundled module in ${outdir}, found ${scripts.join(", ")}`);
  }
  return { scriptPath: join(outdir, scripts[0] as string), outdir, size };
}

/**
 * A wrangler config for the baseline Worker (baseline-worker.ts), written into `dir`:
 * no bindings, the project's compatibility date, and wrangler's scratch folder
 * (.wrangler/) inside `dir` instead of beside the benchmark's sources.
 */
export function writeBaselineConfig(dir: string, compatibilityDate: string): string {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, "wrangler.toml");
  const main = resolve("tools/bench/baseline-worker.ts");
  writeFileSync(
    config,
    [
      'name = "bench-baseline"',
      `main = ${JSON.stringify(main)}`,
      `compatibility_date = ${JSON.stringify(compatibilityDate)}`,
      "send_metrics = false",
      "",
    ].join("\n"),
  );
  return config;
}
