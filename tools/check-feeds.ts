/**
 * `npm run check:feeds -- http://localhost:8787`: checks the three feeds of a running
 * Worker the way readers and validators see them.
 *
 * For RSS (/feed.xml), Atom (/atom.xml) and JSON Feed (/feed.json):
 *   - HTTP status 200 and the feed's media type (with charset=utf-8 for XML);
 *   - RSS/Atom: strict XML 1.0 well-formedness; every npm parser (feed-parser,
 *     feed-extractor, feedsmith) reads the same number of items;
 *   - JSON Feed: the JSON Feed 1.1 JSON Schema (ajv) and the npm parsers;
 *   - language `ar` (or --lang) at feed level, and each item's HTML content wrapped with
 *     the `dir` its language implies (`dir="rtl"` for Arabic);
 *   - where installed, never required: the W3C Feed Validation Service (a wrapper script
 *     that prints JSON {feedType, errors, warnings}: $FEEDVALIDATOR, or
 *     ../shared/feedcheck/lib/w3c_validate.py beside the repository), Universal Feed
 *     Parser (python3 -c 'import feedparser'), and newsboat.
 *
 * Prints one PASS/FAIL (or SKIP) line per check and a final "N passed, M failed" line;
 * exits 1 if anything failed. Options: --rss PATH, --atom PATH, --json PATH, --lang TAG,
 * --timeout SECONDS.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { directionOf } from "../src/core/language.ts";
import { FEED_MEDIA_TYPES, type FeedFormat, feedPath } from "../src/core/urls.ts";
import { PARSERS, type ParsedFeed, parseWith, validateJsonFeed } from "./feed-parsers.ts";

const USAGE =
  "usage: npm run check:feeds -- BASE_URL [--rss PATH] [--atom PATH] [--json PATH] [--lang TAG] [--timeout SECONDS]";

interface Options {
  base: string;
  paths: Record<FeedFormat, string>;
  lang: string;
  timeoutMs: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    base: "",
    paths: {
      rss: feedPath({ kind: "site" }, "rss"),
      atom: feedPath({ kind: "site" }, "atom"),
      json: feedPath({ kind: "site" }, "json"),
    },
    lang: "ar",
    timeoutMs: 30_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) usage(`${arg} needs a value`);
      return next as string;
    };
    if (arg === "--rss" || arg === "--atom" || arg === "--json")
      options.paths[arg.slice(2) as FeedFormat] = value();
    else if (arg === "--lang") options.lang = value();
    else if (arg === "--timeout") options.timeoutMs = Number(value()) * 1000;
    else if (arg === "-h" || arg === "--help") {
      console.log(USAGE);
      process.exit(0);
    } else if (!arg.startsWith("-") && !options.base) options.base = arg;
    else usage(`unknown argument ${arg}`);
  }
  if (!options.base) usage("BASE_URL is missing");
  try {
    const url = new URL(options.base);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error();
  } catch {
    usage(`BASE_URL must be an http(s) URL, got "${options.base}"`);
  }
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) usage("bad --timeout");
  return options;
}

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

// ---- reporting -----------------------------------------------------------------------

let passed = 0;
let failed = 0;
let skipped = 0;

const oneLine = (text: string, max = 300) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function pass(name: string, detail = ""): void {
  passed++;
  console.log(`PASS ${name}${detail ? `: ${oneLine(detail)}` : ""}`);
}
function fail(name: string, detail: string): void {
  failed++;
  console.log(`FAIL ${name}: ${oneLine(detail)}`);
}
function skip(name: string, detail: string): void {
  skipped++;
  console.log(`SKIP ${name}: ${oneLine(detail)}`);
}
function check(ok: boolean, name: string, good: string, bad: string): void {
  if (ok) pass(name, good);
  else fail(name, bad);
}

// ---- external tools ----------------------------------------------------------------------

const HERE = dirname(fileURLToPath(import.meta.url));

function run(
  command: string,
  args: string[],
  timeoutMs: number,
  extra: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): { ok: boolean; status: number | null; stdout: string; stderr: string; error?: string } {
  const result = spawnSync(command, args, {
    encoding: "utf8",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    maxBuffer: 32 * 1024 * 1024,
    ...extra,
    // worker-configuration.d.ts types process.env with the Worker's [vars] (nodejs_compat
    // populates it in workerd); a child's environment here is only what is given.
    env: extra.env as NodeJS.ProcessEnv | undefined,
  });
  const error = result.error ? result.error.message : undefined;
  return {
    ok: !result.error && result.status === 0,
    status: result.status,
    stdout: result.stdout ?? "",
    stderr: result.stderr ?? "",
    ...(error ? { error } : {}),
  };
}

function findPython(): string | undefined {
  const candidates = [process.env.PYTHON, "/usr/bin/python3", "python3"].filter((c): c is string =>
    Boolean(c),
  );
  for (const candidate of candidates) {
    if (candidate.includes("/") && !existsSync(candidate)) continue;
    if (run(candidate, ["-c", "import sys"], 10_000).ok) return candidate;
  }
  return undefined;
}

function onPath(command: string): boolean {
  return run("sh", ["-c", `command -v ${command}`], 5_000).ok;
}

/** The W3C Feed Validation Service wrapper, if one is installed. */
function findFeedValidator(): string | undefined {
  const fromEnv = process.env.FEEDVALIDATOR;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const beside = resolve(HERE, "../../shared/feedcheck/lib/w3c_validate.py");
  return existsSync(beside) ? beside : undefined;
}

// ---- the checks ----------------------------------------------------------------------------

/** What a feed reader sends: no text/html, so the Worker answers with the feed type. */
const ACCEPT = `${Object.values(FEED_MEDIA_TYPES).join(", ")}, application/xml;q=0.9, */*;q=0.8`;

interface Fetched {
  url: string;
  body: string;
  contentType: string;
}

async function fetchFeed(
  format: FeedFormat,
  url: string,
  timeoutMs: number,
): Promise<Fetched | undefined> {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { Accept: ACCEPT, "User-Agent": "rtl-feed-publisher check-feeds" },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    fail(`${format} http`, `GET ${url}: ${(error as Error).message}`);
    return undefined;
  }
  const body = await res.text();
  const contentType = res.headers.get("Content-Type") ?? "";
  check(
    res.status === 200,
    `${format} http`,
    `GET ${url} → 200 (${body.length} characters)`,
    `GET ${url} → ${res.status}`,
  );
  const wanted = FEED_MEDIA_TYPES[format];
  const [type, ...params] = contentType.split(";").map((s) => s.trim().toLowerCase());
  const charsetOk = format === "json" || params.includes("charset=utf-8");
  check(
    type === wanted && charsetOk,
    `${format} content-type`,
    contentType,
    `got "${contentType}", want ${wanted}${format === "json" ? "" : "; charset=utf-8"}`,
  );
  return res.status === 200 ? { url, body, contentType } : undefined;
}

/** Parses with every parser; returns the reference reading (strict XML or JSON.parse). */
function checkParsers(format: FeedFormat, doc: Fetched): ParsedFeed | undefined {
  let reference: ParsedFeed | undefined;
  for (const parser of PARSERS[format]) {
    const name = `${format} ${parser === "strict-xml" ? "well-formed XML (saxes)" : parser}`;
    try {
      const feed = parseWith(parser, doc.body, format);
      if (!reference) {
        reference = feed;
        pass(name, `${feed.items.length} items`);
      } else {
        check(
          feed.items.length === reference.items.length,
          name,
          `${feed.items.length} items`,
          `${feed.items.length} items, ${reference.parser} read ${reference.items.length}`,
        );
      }
    } catch (error) {
      fail(name, (error as Error).message);
    }
  }
  if (format === "json") {
    try {
      const errors = validateJsonFeed(doc.body);
      check(
        errors.length === 0,
        "json schema (JSON Feed 1.1)",
        "valid",
        `${errors.length} errors: ${errors.slice(0, 4).join(" | ")}`,
      );
    } catch (error) {
      fail("json schema (JSON Feed 1.1)", (error as Error).message);
    }
  }
  return reference;
}

function checkLanguageAndDirection(format: FeedFormat, feed: ParsedFeed, lang: string): void {
  const language = feed.language ?? "";
  check(
    language.toLowerCase() === lang.toLowerCase() ||
      language.toLowerCase().startsWith(`${lang.toLowerCase()}-`),
    `${format} language`,
    `"${language}"`,
    `feed language is "${language}", want "${lang}"`,
  );
  if (feed.items.length === 0) {
    pass(`${format} rtl content`, "no items to check");
    return;
  }
  const problems: string[] = [];
  let rtl = 0;
  feed.items.forEach((item, i) => {
    const itemLanguage = item.language ?? language;
    const dir = directionOf(itemLanguage);
    if (dir === "rtl") rtl++;
    const html = item.content ?? "";
    const opening = /^\s*<[a-z][a-z0-9]*\b[^>]*>/i.exec(html)?.[0] ?? "";
    if (!new RegExp(`\\bdir=["']${dir}["']`, "i").test(opening))
      problems.push(`item ${i + 1} (${itemLanguage}) content does not open with dir="${dir}"`);
    if (!/\blang=["'][^"']+["']/i.test(opening))
      problems.push(`item ${i + 1} content wrapper has no lang`);
  });
  check(
    problems.length === 0,
    `${format} rtl content`,
    `${feed.items.length} items, ${rtl} wrapped with dir="rtl", the rest with their own direction`,
    problems.slice(0, 4).join("; "),
  );
}

function checkW3c(format: FeedFormat, doc: Fetched, timeoutMs: number): void {
  const name = `${format} W3C Feed Validation Service`;
  const validator = findFeedValidator();
  if (!validator) {
    skip(name, "not installed (set FEEDVALIDATOR to its w3c_validate.py)");
    return;
  }
  const python = findPython();
  if (!python) {
    skip(name, "python3 not found");
    return;
  }
  const result = run(python, [validator, doc.url], timeoutMs + 30_000, {
    env: { ...process.env, LANGUAGE: "en" },
  });
  let report: { feedType?: string; errors?: string[]; warnings?: string[] };
  try {
    report = JSON.parse(result.stdout.trim().split("\n").pop() ?? "");
  } catch {
    fail(
      name,
      `did not run: ${result.error ?? (result.stderr.trim().split("\n").pop() || `exit ${result.status}`)}`,
    );
    return;
  }
  const errors = report.errors ?? [];
  const warnings = report.warnings ?? [];
  const expectedType = format === "rss" ? "RSS2" : "Atom";
  const typeOk =
    !report.feedType || report.feedType.toLowerCase().startsWith(expectedType.toLowerCase());
  check(
    errors.length === 0 && typeOk,
    name,
    `0 errors, ${warnings.length} warnings${warnings.length ? `: ${warnings.slice(0, 3).join(" | ")}` : ""} (feed type ${report.feedType})`,
    errors.length
      ? `${errors.length} errors: ${errors.slice(0, 4).join(" | ")}`
      : `detected feed type ${report.feedType}, want ${expectedType}`,
  );
}

const FEEDPARSER_SCRIPT = `
import json, sys
import feedparser
path, url, ctype = sys.argv[1], sys.argv[2], sys.argv[3]
with open(path, 'rb') as f:
    data = f.read()
d = feedparser.parse(data, response_headers={'content-location': url, 'content-type': ctype})
exc = d.get('bozo_exception')
out = {'version': d.get('version'), 'bozo': int(d.get('bozo', 0)),
       'bozo_exception': ('%s: %s' % (type(exc).__name__, exc)) if exc else None,
       'language': d.feed.get('language'), 'entries': []}
for e in d.entries:
    content = (e.get('content') or [{}])[0]
    out['entries'].append({'title': e.get('title'), 'content': content.get('value'),
                           'language': content.get('language')})
print(json.dumps(out, ensure_ascii=False))
`;

function checkFeedparser(
  format: FeedFormat,
  doc: Fetched,
  reference: ParsedFeed | undefined,
  lang: string,
  workdir: string,
  timeoutMs: number,
): void {
  const name = `${format} Universal Feed Parser`;
  if (format === "json") return;
  const python = findPython();
  if (!python || !run(python, ["-c", "import feedparser"], 15_000).ok) {
    skip(name, "python3 feedparser not installed (apt-get install python3-feedparser)");
    return;
  }
  const file = join(workdir, `feedparser-${format}`);
  writeFileSync(file, doc.body);
  const result = run(python, ["-c", FEEDPARSER_SCRIPT, file, doc.url, doc.contentType], timeoutMs);
  let out: {
    version: string;
    bozo: number;
    bozo_exception: string | null;
    language: string | null;
    entries: { title: string | null; content: string | null; language: string | null }[];
  };
  try {
    out = JSON.parse(result.stdout);
  } catch {
    fail(
      name,
      `did not run: ${result.error ?? (result.stderr.trim().split("\n").pop() || `exit ${result.status}`)}`,
    );
    return;
  }
  const problems: string[] = [];
  if (out.bozo) problems.push(`bozo: ${out.bozo_exception}`);
  const wantVersion = format === "rss" ? "rss20" : "atom10";
  if (out.version !== wantVersion) problems.push(`version ${out.version}, want ${wantVersion}`);
  if (reference && out.entries.length !== reference.items.length)
    problems.push(`${out.entries.length} entries, source has ${reference.items.length}`);
  if (!(out.language ?? "").toLowerCase().startsWith(lang.toLowerCase()))
    problems.push(`language "${out.language}", want "${lang}"`);
  // Each entry's language as the source says it (RSS dc:language is not read by feedparser).
  const lostDir = out.entries.filter((e, i) => {
    const language = reference?.items[i]?.language ?? reference?.language ?? e.language ?? lang;
    return directionOf(language) === "rtl" && !/\bdir=["']rtl["']/i.test(e.content ?? "");
  }).length;
  if (lostDir) problems.push(`dir="rtl" missing from ${lostDir} entries' content`);
  check(
    problems.length === 0,
    name,
    `${out.version}, ${out.entries.length} entries, language ${out.language}, dir="rtl" kept in Arabic entries`,
    problems.join("; "),
  );
}

function checkNewsboat(
  format: FeedFormat,
  doc: Fetched,
  reference: ParsedFeed | undefined,
  workdir: string,
  timeoutMs: number,
): void {
  if (format === "json") return; // newsboat 2.x reads RSS and Atom only
  const name = `${format} newsboat`;
  if (!onPath("newsboat")) {
    skip(name, "not installed (apt-get install newsboat)");
    return;
  }
  const home = mkdtempSync(join(workdir, "newsboat-"));
  writeFileSync(join(home, "urls"), `${doc.url}\n`);
  writeFileSync(
    join(home, "config"),
    `download-timeout ${Math.ceil(timeoutMs / 1000)}\ndownload-retries 1\nreload-threads 1\n`,
  );
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    TERM: "dumb",
    LANG: "C.UTF-8",
    LC_ALL: "C.UTF-8",
  };
  const base = ["-u", "urls", "-c", "cache.db", "-C", "config"];
  const reload = run("newsboat", [...base, "-x", "reload"], timeoutMs * 2 + 10_000, {
    cwd: home,
    env,
  });
  if (!reload.ok) {
    fail(
      name,
      `reload failed: ${reload.error ?? (reload.stderr.trim() || reload.stdout.trim() || `exit ${reload.status}`)}`,
    );
    return;
  }
  const unread = run("newsboat", [...base, "-x", "print-unread"], 30_000, { cwd: home, env });
  const count = Number(/(\d+)\s+unread/.exec(unread.stdout)?.[1] ?? Number.NaN);
  const want = reference?.items.length;
  check(
    unread.ok && (want === undefined || count === want),
    name,
    `${count} unread articles after reload`,
    unread.ok
      ? `${count} unread articles, source has ${want}`
      : `print-unread failed: ${unread.stderr.trim()}`,
  );
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const workdir = mkdtempSync(join(tmpdir(), "check-feeds-"));
  try {
    for (const format of ["rss", "atom", "json"] as const) {
      const url = new URL(options.paths[format], options.base).href;
      const doc = await fetchFeed(format, url, options.timeoutMs);
      if (!doc) continue;
      const reference = checkParsers(format, doc);
      if (reference) checkLanguageAndDirection(format, reference, options.lang);
      if (format !== "json") checkW3c(format, doc, options.timeoutMs);
      checkFeedparser(format, doc, reference, options.lang, workdir, options.timeoutMs);
      checkNewsboat(format, doc, reference, workdir, options.timeoutMs);
    }
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
}

await main();
