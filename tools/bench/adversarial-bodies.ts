/**
 * Bodies built to be slow: each pattern that made `marked`, `xss` or our own patterns
 * super-linear, repeated to the body limit (200,000 characters), and the worst bodies
 * that the limits still accept. Each is timed through what a publish does with a body:
 * `findUnsafeMarkup` (the API's check) and `renderBodyHtml` (the Publisher's render).
 * The target is well under 100 ms per publish for every body the limits accept; a body
 * over them must be refused as fast.
 *
 *   node tools/bench/adversarial-bodies.ts        # the table alone
 */
import { readFileSync } from "node:fs";
import { LIMITS } from "../../src/core/article.ts";
import { BODY_LIMITS, findUnsafeMarkup, renderBodyHtml } from "../../src/core/html.ts";
import { parseSiteConfig, type SiteConfig } from "../../src/core/site.ts";
import { SEED_PATH } from "./articles.ts";
import { median } from "./timing.ts";

export interface AdversarialBody {
  name: string;
  format: "markdown" | "html";
  body: string;
}

/** The target of issue #12: CPU per publish of any body. */
export const ADVERSARIAL_TARGET_MS = 100;

const MAX: number = LIMITS.body;

/** `unit` repeated to exactly `length` characters. */
function repeatTo(unit: string, length = MAX): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

/** `blocks` separated by blank lines, padded to the limit with long plain paragraphs. */
function padded(blocks: string[]): string {
  const head = blocks.join("\n\n");
  const paragraph = `\n\n${repeatTo("نص عربي عادي يملأ ما تبقى من المقال دون أي علامات. ", 20_000)}`;
  return head + repeatTo(paragraph, MAX - head.length);
}

/** A realistic article of about 10 KB: the seed's paragraphs with common Markdown. */
export function normalArticle(): string {
  const seed = readFileSync(SEED_PATH, "utf8").trim();
  const extra =
    "\n\n## خلفية\n\nقال **الوزير** إن _الخطة_ لم تتغير، وفق [المصدر](https://example.com/a).\n\n> «لا انسحاب» هكذا ردّ البنتاغون.\n\n- بند أول\n- بند ثان\n";
  let body = "";
  while (body.length < 10_000) body += `${seed}${extra}\n\n`;
  return body.slice(0, 10_000);
}

/** The patterns of issue #12 item 4, each repeated to 200,000 characters. */
export function adversarialBodies(): AdversarialBody[] {
  const md = (name: string, body: string): AdversarialBody => ({ name, format: "markdown", body });
  const html = (name: string, body: string): AdversarialBody => ({ name, format: "html", body });
  const perBlock = BODY_LIMITS.emphasisPerBlock;
  const blocks = Math.floor(BODY_LIMITS.emphasis / perBlock);
  const depth = BODY_LIMITS.depth;
  return [
    md("normal 10 KB Arabic article", normalArticle()),
    md("`_a*` × 200,000", repeatTo("_a*")),
    md("`*a_` × 200,000", repeatTo("*a_")),
    md("`_*a` × 200,000", repeatTo("_*a")),
    md("`**a` × 200,000", repeatTo("**a")),
    md("`<svg` × 200,000", repeatTo("<svg")),
    html("`<svg` × 200,000 (HTML)", repeatTo("<svg")),
    md("`<math\\n` × 200,000", repeatTo("<math\n")),
    html("`<math\\n` × 200,000 (HTML)", repeatTo("<math\n")),
    md("nested `> ` × 200,000", repeatTo("> ")),
    md("`[[[[` × 200,000", repeatTo("[")),
    md(
      "nested lists, 2,000 levels",
      Array.from({ length: 2000 }, (_, i) => `${"  ".repeat(i)}- a`)
        .join("\n")
        .slice(0, MAX),
    ),
    html('one tag, 200,000 chars of `a="1"` attributes', `<p ${repeatTo(' a="1"', MAX - 4)}>`),
    html("one tag, 200,000 chars of bare attributes", `<p${repeatTo(" a", MAX - 3)}>`),
    md("one tag, 200,000 chars of attributes (Markdown)", `<p ${repeatTo(' a="1"', MAX - 4)}>`),
    html("`<p>` × 200,000 (HTML)", repeatTo("<p>")),
    html("nested `<div>` × 200,000 (HTML)", repeatTo("<div>")),
    // The worst that the limits accept.
    md(
      `at the limits: \`_a*\` in ${blocks} blocks of ${perBlock} markers`,
      padded(Array.from({ length: blocks }, () => repeatTo("_a*", (perBlock * 3) / 2))),
    ),
    md(
      `at the limits: \`**a\` in ${blocks} blocks of ${perBlock} markers`,
      padded(Array.from({ length: blocks }, () => repeatTo("**a", (perBlock * 3) / 2 - 1))),
    ),
    md(
      `at the limits: ${perBlock} unclosed \`_\` per block, ${blocks} long blocks`,
      padded(
        Array.from(
          { length: blocks },
          () =>
            `${"_كلمة ".repeat(perBlock)}${repeatTo("نص عادي ", Math.floor(MAX / blocks) - 6 * perBlock - 2)}`,
        ),
      ),
    ),
    md(
      `at the limits: ${BODY_LIMITS.markup / 2} × \`[a] \``,
      padded([repeatTo("[a] ", BODY_LIMITS.markup * 2)]),
    ),
    md(
      `at the limits: ${BODY_LIMITS.markup / 2} × \`<x>\``,
      padded([repeatTo("<x>", (BODY_LIMITS.markup * 3) / 2)]),
    ),
    md(
      `at the limits: ${BODY_LIMITS.markup} × \`\\\`a\``,
      padded([repeatTo("`a", BODY_LIMITS.markup * 2)]),
    ),
    md(
      `at the limits: block quotes ${depth} deep`,
      padded([
        Array.from(
          { length: Math.floor(BODY_LIMITS.blocks / (depth + 1)) },
          () => `${"> ".repeat(depth)}نص`,
        ).join("\n"),
      ]),
    ),
    md(
      `at the limits: lists ${depth} deep`,
      padded(
        Array.from({ length: Math.floor(BODY_LIMITS.blocks / ((depth * (depth + 3)) / 2)) }, () =>
          Array.from({ length: depth }, (_, i) => `${"  ".repeat(i)}- بند`).join("\n"),
        ),
      ),
    ),
    md(
      `at the limits: ${BODY_LIMITS.blocks} one-line paragraphs`,
      padded(Array.from({ length: BODY_LIMITS.blocks - 10 }, () => "فقرة قصيرة.")),
    ),
    md(
      `at the limits: ${BODY_LIMITS.blocks / 2} list items`,
      padded([Array.from({ length: BODY_LIMITS.blocks / 2 - 10 }, () => "- بند").join("\n")]),
    ),
    md(
      "at the limits: a table, a row two blocks",
      padded([
        [
          "| a | b |",
          "| - | - |",
          ...Array.from(
            { length: Math.min(BODY_LIMITS.blocks / 2 - 10, BODY_LIMITS.markup / 3 - 10) },
            () => "| x | y |",
          ),
        ].join("\n"),
      ]),
    ),
    html(
      `at the limits: ${BODY_LIMITS.markup} × \`<p>\` (HTML)`,
      padded([repeatTo("<p>", BODY_LIMITS.markup * 3)]),
    ),
    html(
      `at the limits: \`<div>\` ${depth} deep, repeated (HTML)`,
      repeatTo(
        `${"<div>".repeat(depth)}نص${"</div>".repeat(depth)}`,
        Math.floor(BODY_LIMITS.markup / (2 * depth)) * (11 * depth + 2),
      ),
    ),
  ];
}

export interface AdversarialResult {
  name: string;
  format: "markdown" | "html";
  chars: number;
  /** Median wall time of findUnsafeMarkup + renderBodyHtml, in ms. */
  ms: number;
  /** What ingestion answers: accepted, or the first refusal. */
  outcome: string;
}

/** Times each body: warm-up publishes, then the median of up to `runs` more. */
export function timeAdversarialBodies(
  site: SiteConfig,
  bodies = adversarialBodies(),
  runs = 5,
  warmupMs = 300,
): AdversarialResult[] {
  return bodies.map(({ name, format, body }) => {
    const publish = () => {
      const problems = findUnsafeMarkup(site, body, format);
      renderBodyHtml(site, body, format);
      return problems;
    };
    const problems = publish();
    // More warm-up while it is cheap: the first calls include compiling.
    for (let i = 0, began = performance.now(); i < 20 && performance.now() - began < warmupMs; i++)
      publish();
    const times: number[] = [];
    const began = performance.now();
    for (let i = 0; i < runs && (i === 0 || performance.now() - began < 2_000); i++) {
      const start = performance.now();
      publish();
      times.push(performance.now() - start);
    }
    const first = problems[0];
    return {
      name,
      format,
      chars: body.length,
      ms: median(times),
      outcome:
        first === undefined
          ? "accepted"
          : `refused: ${first.length > 70 ? `${first.slice(0, 70)}…` : first}`,
    };
  });
}

export function adversarialText(results: AdversarialResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const rows = results.map(
    (r) =>
      `| ${r.name.padEnd(width)} | ${String(r.chars).padStart(7)} | ${r.ms.toFixed(2).padStart(8)} ms | ${r.ms < ADVERSARIAL_TARGET_MS ? "met " : "MISS"} | ${r.outcome} |`,
  );
  return [
    `| ${"body".padEnd(width)} |   chars | per publish | < ${ADVERSARIAL_TARGET_MS} ms | ingestion |`,
    `| ${"-".repeat(width)} | ------- | ----------- | -------- | --------- |`,
    ...rows,
  ].join("\n");
}

export const adversarialOk = (results: AdversarialResult[]) =>
  results.every((r) => r.ms < ADVERSARIAL_TARGET_MS);

if (import.meta.main) {
  const site = parseSiteConfig({
    SITE_URL: "https://news.example",
    SITE_TITLE: "bench",
    SITE_DESCRIPTION: "bench",
    SITE_LANGUAGE: "ar",
  });
  const results = timeAdversarialBodies(site);
  console.log(adversarialText(results));
  process.exitCode = adversarialOk(results) ? 0 : 1;
}
