/**
 * Article bodies: Markdown rendered with `marked`, then every body (Markdown or HTML)
 * passed through an allow-list sanitiser (ours; it was `xss`, and gives its bytes). Ingestion refuses bodies that carry
 * dangerous markup (the editor learns exactly what), and rendering sanitises again, so a
 * record that reached storage some other way still cannot put script into a feed.
 *
 * Allowed: paragraphs, headings, lists, links, images, blockquote, figure, tables, inline
 * emphasis, `bdi`, and `dir`/`lang` everywhere. Not allowed: script, iframe, object,
 * embed, style (element or attribute), on* handlers, javascript:/data: URLs, and `bdo`
 * (the W3C validator reports it as a security risk; `bdi` or `dir` say the same thing).
 *
 * Time: nothing here may grow faster than the body. `marked` is not linear by itself
 * (runs of emphasis markers make it quadratic, nested quotes overflow its stack), so a
 * Markdown body is first measured by `markdownShape`, one pass over the text, and bodies
 * beyond BODY_LIMITS are refused at ingestion and rendered as plain paragraphs if they
 * were stored some other way. xss's attribute parser and our opaque-element pattern
 * were quadratic too; their replacements here are single passes.
 */
import { Marked } from "marked";
import type { SiteConfig } from "./site.ts";
import { escapeXml, findUrlForbidden } from "./text.ts";
import { resolveHttpUrl } from "./urls.ts";

/**
 * Limits that keep every body's processing time proportional to its length, and small
 * (README: limits). Measured in tools/bench/adversarial-bodies.ts.
 */
export const BODY_LIMITS = {
  /** Block quotes, lists and brackets inside one another; HTML elements get twice this. */
  depth: 32,
  /** Markdown: paragraphs, headings, list items, table rows, and nested lines per level. */
  blocks: 2_000,
  /** Markdown: runs of `*`, `_` or `~` in one block of text between two blank lines. */
  emphasisPerBlock: 64,
  /** Markdown: runs of `*`, `_` or `~` in the whole body. */
  emphasis: 1_000,
  /**
   * Characters that open markup: Markdown `` ` [ ] < > ! \ & | ``, HTML `<` and `&`, and
   * in both the spaces between the attributes of a tag.
   */
  markup: 8_000,
} as const;

const GLOBAL_ATTRIBUTES = ["dir", "lang", "title"];

const ALLOWED_TAGS: Record<string, string[]> = {
  p: [],
  br: [],
  hr: [],
  div: [],
  span: [],
  bdi: [],
  h1: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  ul: [],
  ol: ["start", "reversed"],
  li: [],
  dl: [],
  dt: [],
  dd: [],
  a: ["href", "hreflang", "rel"],
  img: ["src", "alt", "width", "height"],
  blockquote: ["cite"],
  q: ["cite"],
  figure: [],
  figcaption: [],
  strong: [],
  em: [],
  b: [],
  i: [],
  u: [],
  s: [],
  small: [],
  mark: [],
  sub: [],
  sup: [],
  abbr: [],
  cite: [],
  code: [],
  pre: [],
  kbd: [],
  time: ["datetime"],
  table: [],
  caption: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ["colspan", "rowspan", "scope"],
  td: ["colspan", "rowspan"],
};

/** Elements whose presence is refused at ingestion (others are unwrapped quietly). */
const DANGEROUS_TAGS = new Set([
  "script",
  "iframe",
  "frame",
  "frameset",
  "object",
  "embed",
  "applet",
  "style",
  "link",
  "meta",
  "base",
  "form",
  "input",
  "button",
  "textarea",
  "select",
  "svg",
  "math",
  "template",
  "noscript",
  "bdo",
]);

const URL_ATTRIBUTES = new Set(["href", "src", "cite"]);

/** Allowed elements with their attributes. */
export const WHITE_LIST: Record<string, string[]> = Object.fromEntries(
  Object.entries(ALLOWED_TAGS).map(([tag, attrs]) => [tag, [...attrs, ...GLOBAL_ATTRIBUTES]]),
);

// ---- opaque elements ---------------------------------------------------------------

/** Elements whose content is never text a reader should see: removed with their body. */
const OPAQUE_TAGS = [
  "script",
  "style",
  "iframe",
  "object",
  "template",
  "noscript",
  "svg",
  "math",
  "textarea",
  "select",
];
const OPAQUE_OPEN = new RegExp(`<(${OPAQUE_TAGS.join("|")})(?![\\w])`, "gi");

/**
 * Removes each opaque element with its body, reporting each kind once. The same matches
 * as `/<(tag)\b[^>]*>[\s\S]*?<\/\1\s*>/gi`, found in one pass: that pattern rescanned the
 * rest of the body from every `<svg` without an end (quadratic). Here each search moves
 * forward only: a start tag whose `>` or end tag is not found cannot find one later.
 */
export function stripOpaque(html: string, report: (problem: string) => void): string {
  if (!/<(?:s|i|o|t|n|m)/i.test(html)) return html;
  let out = "";
  let copied = 0;
  let nextGt = -1; // the first ">" at or after the last search, -2 once there is none
  const ends = new Map<string, { at: number; end: number } | null>(); // per tag, null: none
  OPAQUE_OPEN.lastIndex = 0;
  for (let m = OPAQUE_OPEN.exec(html); m; m = OPAQUE_OPEN.exec(html)) {
    const tag = (m[1] as string).toLowerCase();
    const from = m.index + m[0].length;
    if (nextGt !== -2 && nextGt < from) nextGt = html.indexOf(">", from);
    if (nextGt === -1) nextGt = -2;
    if (nextGt === -2) break;
    const end = findEndTag(html, tag, nextGt + 1, ends);
    if (end === undefined) continue;
    report(`<${tag}> is not allowed`);
    out += html.slice(copied, m.index);
    copied = end;
    OPAQUE_OPEN.lastIndex = end;
  }
  return copied === 0 ? html : out + html.slice(copied);
}

/** The end of the first `</tag\s*>` at or after `from`, remembering what it found. */
function findEndTag(
  html: string,
  tag: string,
  from: number,
  ends: Map<string, { at: number; end: number } | null>,
): number | undefined {
  let found = ends.get(tag);
  if (found === null) return undefined;
  if (found === undefined || found.at < from) {
    const pattern = new RegExp(`</${tag}\\s*>`, "gi");
    pattern.lastIndex = from;
    const m = pattern.exec(html);
    found = m ? { at: m.index, end: m.index + m[0].length } : null;
    ends.set(tag, found);
  }
  return found?.end;
}

// ---- attributes --------------------------------------------------------------------

/** `/\s/` for one character, with the common answers first. */
const isSpace = (c: string) => {
  const code = c.charCodeAt(0);
  if (code === 32) return true;
  if (code > 32 && code < 127) return false;
  return /\s/.test(c);
};

/**
 * xss's `parseAttr`, with the same results, in one pass: the original replaced every
 * whitespace character of the tag with a space each time it met one (quadratic in long
 * attribute lists). `onAttr` gets each lower-cased name and its value.
 */
export function parseAttributes(
  html: string,
  onAttr: (name: string, value: string) => string | undefined,
): string {
  const len = html.length;
  const out: string[] = [];
  // After the first whitespace the original works on a copy with every whitespace
  // character made a space: reads from then on see that copy.
  let spaced = false;
  const at = (i: number) => {
    const c = html.charAt(i);
    return spaced && c !== " " && isSpace(c) ? " " : c;
  };
  const slice = (from: number, to?: number) => {
    const s = html.slice(from, to);
    return spaced ? s.replace(/\s/g, " ") : s;
  };
  const add = (rawName: string, value?: string) => {
    const trimmed = rawName.trim();
    const name = (
      CLEAN_NAME.test(trimmed) ? trimmed : trimmed.replace(/[^a-zA-Z0-9\\_:.-]/g, "")
    ).toLowerCase();
    if (name.length < 1) return;
    const ret = onAttr(name, value || "");
    if (ret) out.push(ret);
  };
  // Runs of spaces are looked across once, not once per space.
  let spaceRunEnd = -1;
  const nextNonSpace = (i: number) => {
    if (i > spaceRunEnd) {
      spaceRunEnd = i;
      while (spaceRunEnd < len && at(spaceRunEnd) === " ") spaceRunEnd++;
    }
    return spaceRunEnd;
  };
  let backFrom = -2;
  let backResult: number | undefined;
  const findBeforeEqual = (i: number) => {
    if (i === backFrom + 1 && i > 0 && at(i) === " ") {
      backFrom = i;
      return backResult;
    }
    backFrom = i;
    for (let k = i; k > 0; k--) {
      const c = at(k);
      if (c === " ") continue;
      backResult = c === "=" ? k : -1;
      return backResult;
    }
    backResult = undefined;
    return backResult;
  };
  const findNextQuotationMark = (i: number) => {
    for (let k = i; k < len; k++) {
      const c = at(k);
      if (c === " ") continue;
      return c === "'" || c === '"' ? k : -1;
    }
    return undefined;
  };

  let lastPos = 0;
  let lastMarkPos: number | undefined = 0;
  let tmpName: string | false = false;
  for (let i = 0; i < len; i++) {
    const c = at(i);
    if (tmpName === false && c === "=") {
      tmpName = slice(lastPos, i);
      lastPos = i + 1;
      const next = at(lastPos);
      lastMarkPos = next === '"' || next === "'" ? lastPos : findNextQuotationMark(i + 1);
      continue;
    }
    if (tmpName !== false && i === lastMarkPos) {
      const j = html.indexOf(c, i + 1);
      if (j === -1) break;
      add(tmpName, slice(lastMarkPos + 1, j).trim());
      tmpName = false;
      i = j;
      lastPos = i + 1;
      continue;
    }
    if (isSpace(c)) {
      spaced = true;
      if (tmpName === false) {
        const k = nextNonSpace(i);
        if (k >= len) break; // the original's findNextEqual falls off the end: i = NaN
        if (at(k) === "=") {
          i = k - 1;
          continue;
        }
        add(slice(lastPos, i).trim());
        lastPos = i + 1;
        continue;
      }
      if (findBeforeEqual(i - 1) === -1) {
        add(tmpName, stripQuoteWrap(slice(lastPos, i).trim()));
        tmpName = false;
        lastPos = i + 1;
      }
    }
  }
  if (lastPos < len) {
    if (tmpName === false) add(slice(lastPos));
    else add(tmpName, stripQuoteWrap(slice(lastPos).trim()));
  }
  return out.join(" ").trim();
}

const CLEAN_NAME = /^[a-z0-9\\_:.-]*$/;

function stripQuoteWrap(text: string): string {
  const first = text[0];
  return (first === '"' || first === "'") && text[text.length - 1] === first
    ? text.slice(1, -1)
    : text;
}

/** xss's getAttrs: the attribute text of a start tag and whether it ends with `/`. */
function attributeText(html: string): { text: string; selfClosing: boolean } {
  const space = html.search(/\s/);
  if (space === -1) return { text: "", selfClosing: html[html.length - 2] === "/" };
  let text = html.slice(space + 1, -1).trim();
  const selfClosing = text[text.length - 1] === "/";
  if (selfClosing) text = text.slice(0, -1).trim();
  return { text, selfClosing };
}

// ---- element nesting --------------------------------------------------------------

const VOID_ELEMENTS = new Set(["br", "hr", "img"]);
/** End tags HTML lets a writer leave out: never added at the end of a body. */
const OPTIONAL_END = new Set([
  "p",
  "li",
  "dt",
  "dd",
  "tr",
  "td",
  "th",
  "thead",
  "tbody",
  "tfoot",
  "caption",
]);
/** Start tags that end an open paragraph (HTML's "close a p element"). */
const CLOSES_P = new Set([
  "blockquote",
  "div",
  "dl",
  "figcaption",
  "figure",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "hr",
  "ol",
  "p",
  "pre",
  "table",
  "ul",
  "li",
  "dd",
  "dt",
]);
/** Elements an implied end stops at (HTML's "special" elements, less div and p). */
const SCOPE = new Set([
  "blockquote",
  "dd",
  "dl",
  "dt",
  "figcaption",
  "figure",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "ol",
  "pre",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
  "caption",
]);
const except = (set: Set<string>, ...tags: string[]) =>
  new Set([...set].filter((t) => !tags.includes(t)));
/** Start tags that end an open element: which ones, and where the search for one stops. */
const IMPLIED_ENDS: Record<string, { ends: string[]; stopAt: Set<string> }> = {
  li: { ends: ["li"], stopAt: except(SCOPE, "li") },
  dt: { ends: ["dt", "dd"], stopAt: except(SCOPE, "dt", "dd") },
  dd: { ends: ["dt", "dd"], stopAt: except(SCOPE, "dt", "dd") },
  tr: { ends: ["tr"], stopAt: new Set(["table", "thead", "tbody", "tfoot"]) },
  td: { ends: ["td", "th"], stopAt: new Set(["table", "tr"]) },
  th: { ends: ["td", "th"], stopAt: new Set(["table", "tr"]) },
  thead: { ends: ["thead", "tbody", "tfoot"], stopAt: new Set(["table"]) },
  tbody: { ends: ["thead", "tbody", "tfoot"], stopAt: new Set(["table"]) },
  tfoot: { ends: ["thead", "tbody", "tfoot"], stopAt: new Set(["table"]) },
};
/** HTML's "close a p element" looks for a p in button scope. */
const P_ENDS = { ends: ["p"], stopAt: new Set(["table", "td", "th", "caption"]) };
const HEADING = /^h[1-6]$/;

/**
 * The elements open at each point, as a browser would nest them (closely enough to
 * count depth): implied ends of p, li, dt/dd and table parts are applied, stray end tags
 * are found, and what is still open at the end is known.
 */
class ElementStack {
  readonly open: string[] = [];
  deepest = 0;

  /** Opens `tag`; returns the depth it is at. */
  start(tag: string): number {
    const implied = IMPLIED_ENDS[tag];
    if (implied) this.closeNearest(implied);
    if (CLOSES_P.has(tag)) this.closeNearest(P_ENDS);
    if (HEADING.test(tag) && HEADING.test(this.open.at(-1) ?? "")) this.open.pop();
    this.open.push(tag);
    this.deepest = Math.max(this.deepest, this.open.length);
    return this.open.length;
  }

  /** Closes `tag` and what is inside it; false for an end tag that closes nothing. */
  end(tag: string): boolean {
    const i = this.open.lastIndexOf(tag);
    if (i === -1) return false;
    this.open.length = i;
    return true;
  }

  /** End tags for what must not stay open, innermost first. */
  closers(): string {
    return this.open
      .filter((tag) => !OPTIONAL_END.has(tag))
      .reverse()
      .map((tag) => `</${tag}>`)
      .join("");
  }

  private closeNearest({ ends, stopAt }: { ends: string[]; stopAt: Set<string> }): void {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const open = this.open[i] as string;
      if (ends.includes(open)) {
        this.open.length = i;
        return;
      }
      if (stopAt.has(open)) return;
    }
  }
}

// ---- what the sanitiser keeps of xss ----------------------------------------------
//
// The sanitiser was the `xss` package; it is now these few functions, which give the
// same bytes for what we allow (tests compare them with xss itself), in one pass each:
// xss's attribute parser was quadratic, and its CSS filter, which we never used, was a
// third of the bundle's sanitising code.

/** xss's escapeHtml: text between tags keeps its references, `<` and `>` are escaped. */
const escapeText = (text: string) => text.replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** xss's escapeAttrValue. */
const escapeAttrValue = (value: string) => escapeText(value.replace(/"/g, "&quot;"));

/** xss's unescapeQuote then escapeHtmlEntities: `&quot;` and numeric references decoded. */
const decodeAttrValue = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#([a-zA-Z0-9]*);?/gm, (_m, code: string) =>
      String.fromCharCode(
        code[0] === "x" || code[0] === "X"
          ? Number.parseInt(code.slice(1), 16)
          : Number.parseInt(code, 10),
      ),
    );

/** xss's friendlyAttrValue: decoded, `&colon;`/`&newline;` too, control characters as spaces. */
function friendlyAttrValue(value: string): string {
  return (
    decodeAttrValue(value)
      .replace(/&colon;?/gim, ":")
      .replace(/&newline;?/gim, " ")
      // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point.
      .replace(/[\u0000-\u001F]/g, " ")
      .trim()
  );
}

/** xss's stripCommentTag: comments removed; an unclosed one removes the rest. */
function stripComments(html: string): string {
  let out = "";
  let at = 0;
  while (at < html.length) {
    const open = html.indexOf("<!--", at);
    if (open === -1) return out + html.slice(at);
    out += html.slice(at, open);
    const close = html.indexOf("-->", open);
    if (close === -1) return out;
    at = close + 3;
  }
  return out;
}

/** xss's getTagName: the lower-cased name of `<name …>` or `</name>`. */
function tagNameOf(tagHtml: string): string {
  const space = tagHtml.search(/\s/);
  let name = (space === -1 ? tagHtml.slice(1, -1) : tagHtml.slice(1, space + 1))
    .trim()
    .toLowerCase();
  if (name.startsWith("/")) name = name.slice(1);
  if (name.endsWith("/")) name = name.slice(0, -1);
  return name;
}

/**
 * xss's parseTag: splits HTML into text (escaped) and tags (given to `onTag`), quotes
 * after `=` keeping a `>` inside an attribute value. One pass.
 */
function eachTag(
  html: string,
  onTag: (name: string, tagHtml: string, closing: boolean) => string,
): string {
  let out = "";
  let last = 0;
  let tagStart = -1;
  let quote = "";
  const len = html.length;
  for (let i = 0; i < len; i++) {
    const c = html.charAt(i);
    if (tagStart === -1) {
      if (c === "<") tagStart = i;
      continue;
    }
    if (quote) {
      if (c === quote) quote = "";
      continue;
    }
    if (c === "<") {
      out += escapeText(html.slice(last, i));
      tagStart = i;
      last = i;
      continue;
    }
    if (c === ">" || i === len - 1) {
      out += escapeText(html.slice(last, tagStart));
      const tagHtml = html.slice(tagStart, i + 1);
      out += onTag(tagNameOf(tagHtml), tagHtml, tagHtml.startsWith("</"));
      last = i + 1;
      tagStart = -1;
      continue;
    }
    if (c === '"' || c === "'") {
      // A quote opens a value only after `=` (spaces between allowed).
      for (let k = i - 1; k > tagStart; k--) {
        const before = html.charAt(k);
        if (before === "=") {
          quote = c;
          break;
        }
        if (before.trim() !== "") break;
      }
    }
  }
  return last < len ? out + escapeText(html.slice(last)) : out;
}

// ---- the sanitiser -----------------------------------------------------------------

type Mode = "check" | "render";

/** HTML elements inside one another: Markdown's levels, with room for their p, em, a… */
const ELEMENT_DEPTH = BODY_LIMITS.depth * 2;

interface Sanitised {
  html: string;
  problems: string[];
}

const describeUrl = (raw: string) => (raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);

/** Whether an image URL is on one of the site's media origins. */
export function isMediaOrigin(site: SiteConfig, url: string): boolean {
  try {
    return site.mediaOrigins.includes(new URL(url).origin);
  } catch {
    return false;
  }
}

/** How to allow an image from `url`, for refusals. */
export function mediaOriginAdvice(site: SiteConfig, url: string): string {
  let origin = url;
  let host = url;
  try {
    ({ origin, host } = new URL(url));
  } catch {}
  return `is on ${host}, which is not a media origin of this site (${site.mediaOrigins.join(" ")}): serve the image from one of those, or add ${origin} to MEDIA_ORIGINS in wrangler.toml`;
}

function sanitise(site: SiteConfig, html: string, mode: Mode): Sanitised {
  const problems = new Set<string>();
  const report = (p: string) => problems.add(p);
  const stack = new ElementStack();
  /** Start tags dropped for being too deep, per tag: their end tags are dropped too. */
  const dropped = new Map<string, number>();

  const onTagAttr = (tag: string, name: string, value: string): string | undefined => {
    const raw = friendlyAttrValue(value).trim();
    if (URL_ATTRIBUTES.has(name)) {
      const bad = findUrlForbidden(decodeAttrValue(value).trim());
      if (bad) {
        report(
          `<${tag} ${name}="${describeUrl(raw)}"> contains ${bad.what} (${bad.codePoint}) at character ${bad.index + 1}: URLs in a body may not contain backslashes or control characters`,
        );
        return "";
      }
      if (name === "href" && (raw.startsWith("#") || /^mailto:/i.test(raw)))
        return `${name}="${escapeAttrValue(raw)}"`;
      const url = resolveHttpUrl(site, raw);
      if (!url) {
        report(`<${tag} ${name}="${raw.slice(0, 60)}"> must be an http(s) URL or a relative path`);
        return "";
      }
      if (mode === "check" && tag === "img" && name === "src" && !isMediaOrigin(site, url))
        report(`<img src="${describeUrl(url)}"> ${mediaOriginAdvice(site, url)}`);
      return `${name}="${escapeAttrValue(url)}"`;
    }
    if (name === "dir" && !/^(rtl|ltr|auto)$/i.test(raw)) return 'dir="auto"';
    return undefined;
  };

  const onIgnoreTagAttr = (tag: string, name: string) => {
    if (name.startsWith("on")) report(`the ${name} attribute on <${tag}> is not allowed`);
    else if (name === "style") report(`the style attribute on <${tag}> is not allowed`);
    return "";
  };

  const startTag = (tag: string, tagHtml: string): string => {
    const allowed = WHITE_LIST[tag] as string[];
    const { text, selfClosing } = attributeText(tagHtml);
    const attrs = parseAttributes(text, (name, value) => {
      if (URL_ATTRIBUTES.has(name) || name === "dir") {
        const own = onTagAttr(tag, name, value);
        if (own !== undefined) return own;
      }
      if (allowed.includes(name)) {
        // xss's safeAttrValue, for attributes that are neither URLs nor style.
        const safe = escapeAttrValue(friendlyAttrValue(value));
        return safe ? `${name}="${safe}"` : name;
      }
      return onIgnoreTagAttr(tag, name);
    });
    const out = `<${tag}${attrs ? ` ${attrs}` : ""}${selfClosing ? " /" : ""}>`;
    if (VOID_ELEMENTS.has(tag)) return out;
    if (stack.start(tag) <= ELEMENT_DEPTH || mode === "check") return out;
    // Rendering a body too deep for ingestion: the extra levels are unwrapped.
    stack.end(tag);
    dropped.set(tag, (dropped.get(tag) ?? 0) + 1);
    return "";
  };

  const endTag = (tag: string): string => {
    if (VOID_ELEMENTS.has(tag)) return `</${tag}>`;
    const skip = dropped.get(tag) ?? 0;
    if (skip > 0) {
      dropped.set(tag, skip - 1);
      return "";
    }
    // A stray end tag would close an element around the body (the direction wrapper);
    // a stray </p> cannot, and browsers read it as an empty paragraph: it stays.
    return stack.end(tag) || tag === "p" ? `</${tag}>` : "";
  };

  const out =
    eachTag(stripComments(stripOpaque(html, report)), (tag, tagHtml, closing) => {
      if (Object.hasOwn(WHITE_LIST, tag)) return closing ? endTag(tag) : startTag(tag, tagHtml);
      // Tags outside the allow-list are dropped, their text kept; dangerous ones are reported.
      if (DANGEROUS_TAGS.has(tag)) report(`<${tag}> is not allowed`);
      return "";
    }) + stack.closers();
  if (stack.deepest > ELEMENT_DEPTH)
    report(
      `has elements nested ${stack.deepest} deep; at most ${ELEMENT_DEPTH} levels are accepted`,
    );
  return { html: out, problems: [...problems] };
}

// ---- Markdown ----------------------------------------------------------------------

/** What `markdownShape` finds: everything that bounds marked's work. */
export interface BodyShape {
  /** Deepest nesting of block quotes, lists and brackets, and the line where it is. */
  depth: number;
  depthLine: number;
  /**
   * Blocks (paragraphs, headings, list items, table rows), plus each line inside lists or
   * quotes once for every level around it.
   */
  blocks: number;
  /** Runs of `*`, `_` or `~`: in all, and in the fullest block between blank lines. */
  emphasis: number;
  emphasisPerBlock: number;
  blockLine: number;
  /** Characters that open markup (`` ` [ ] < > ! \ & | ``, spaces between attributes). */
  markup: number;
}

/** Character codes the scan looks at. */
const Ch = {
  Tab: 9,
  Space: 32,
  Bang: 33,
  Hash: 35,
  Amp: 38,
  RParen: 41,
  Star: 42,
  Plus: 43,
  Minus: 45,
  Dot: 46,
  Zero: 48,
  Nine: 57,
  Lt: 60,
  Gt: 62,
  LBracket: 91,
  Backslash: 92,
  RBracket: 93,
  Underscore: 95,
  Backtick: 96,
  Pipe: 124,
  Tilde: 126,
} as const;

/** 1: an emphasis marker, 2: another markup character. */
const CHAR_KIND = new Uint8Array(128);
for (const c of [Ch.Star, Ch.Underscore, Ch.Tilde]) CHAR_KIND[c] = 1;
for (const c of [
  Ch.Backtick,
  Ch.LBracket,
  Ch.RBracket,
  Ch.Lt,
  Ch.Gt,
  Ch.Bang,
  Ch.Backslash,
  Ch.Amp,
  Ch.Pipe,
])
  CHAR_KIND[c] = 2;
CHAR_KIND[Ch.Space] = 3;
CHAR_KIND[Ch.Tab] = 3;

/** The length of a list marker (`-`, `+`, `*`, `1.`, `1)`) with its space at `i`, or 0. */
function listMarkerLength(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  let j = i;
  if (c === Ch.Minus || c === Ch.Plus || c === Ch.Star) j = i + 1;
  else {
    while (j < end && j - i < 9 && text.charCodeAt(j) >= Ch.Zero && text.charCodeAt(j) <= Ch.Nine)
      j++;
    const after = text.charCodeAt(j);
    if (j === i || (after !== Ch.Dot && after !== Ch.RParen)) return 0;
    j++;
  }
  if (j === end) return j - i;
  const after = text.charCodeAt(j);
  return after === Ch.Space || after === Ch.Tab ? j - i + 1 : 0;
}

/** A thematic break (`* * *`, `---`, `___`) or setext underline: no list markers in it. */
function isRule(text: string, from: number, end: number): boolean {
  let marks = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Minus || c === Ch.Star || c === Ch.Underscore) marks++;
    else if (c !== Ch.Space && c !== Ch.Tab && c !== Ch.Gt) return false;
  }
  return marks >= 3;
}

/**
 * One pass over a Markdown body that measures what makes `marked` slow or deep:
 * - nesting, per line: its `>` and list markers, the list items it is indented into,
 *   and the `[` still open in its block;
 * - blocks, and the lines in lists and quotes once per level around them (marked lexes
 *   them again at every level);
 * - runs of emphasis markers, in all and per block of text between blank lines: marked's
 *   inline text never spans a blank line, and its emphasis matching costs up to the
 *   square of the markers in one inline text;
 * - markup characters in all.
 */
export function markdownShape(body: string): BodyShape {
  const shape: BodyShape = {
    depth: 0,
    depthLine: 1,
    blocks: 0,
    emphasis: 0,
    emphasisPerBlock: 0,
    blockLine: 1,
    markup: 0,
  };
  const items: number[] = []; // columns of the list markers of the open items
  let lastQuotes = 0;
  let blockRuns = 0;
  let blockStart = 1;
  let brackets = 0;
  let previousBlank = true;
  let afterHeading = false;
  let inTable = false;
  let inTag = false; // after a `<` and before its `>`
  let line = 0;
  for (let start = 0; start <= body.length; ) {
    let end = body.indexOf("\n", start);
    if (end === -1) end = body.length;
    line++;
    let p = start;
    let col = 0;
    let quotes = 0;
    let markers = 0;
    const rule = isRule(body, start, end);
    for (;;) {
      let q = p;
      let c = col;
      for (
        let ch = body.charCodeAt(q);
        q < end && (ch === Ch.Space || ch === Ch.Tab);
        ch = body.charCodeAt(++q)
      )
        c = ch === Ch.Tab ? c + 4 - (c % 4) : c + 1;
      if (body.charCodeAt(q) === Ch.Gt) {
        quotes++;
        p = q + 1;
        col = c + 1;
        continue;
      }
      const marker = rule || q >= end ? 0 : listMarkerLength(body, q, end);
      if (marker > 0) {
        if (quotes !== lastQuotes) items.length = 0;
        lastQuotes = quotes;
        if (markers === 0) while (items.length > 0 && (items.at(-1) as number) >= c) items.pop();
        items.push(c);
        markers++;
        p = q + marker;
        col = c + marker;
        continue;
      }
      p = q;
      col = c;
      break;
    }
    let textEnd = end;
    while (textEnd > p && /\s/.test(body[textEnd - 1] as string)) textEnd--;
    const blank = p >= textEnd;
    if (blank) {
      if (blockRuns > shape.emphasisPerBlock) {
        shape.emphasisPerBlock = blockRuns;
        shape.blockLine = blockStart;
      }
      blockRuns = 0;
      brackets = 0;
      inTable = false;
      blockStart = line + 1;
    } else if (markers === 0) {
      if (quotes !== lastQuotes) items.length = 0;
      while (items.length > 0 && (items.at(-1) as number) >= col) items.pop();
    }
    const containers = quotes + (blank ? 0 : items.length);
    let deepest = containers + brackets;
    let pipe = false;
    if (inTag) shape.markup++; // a line break between attributes
    for (let i = p; i < textEnd; i++) {
      const c = body.charCodeAt(i);
      const kind = c < 128 ? CHAR_KIND[c] : 0;
      if (kind === 0) continue;
      if (kind === 3) {
        // Attributes of raw HTML: each costs the sanitiser as much as a tag.
        if (inTag && i > p && CHAR_KIND[body.charCodeAt(i - 1)] !== 3) shape.markup++;
        continue;
      }
      if (kind === 1) {
        if (i === p || body.charCodeAt(i - 1) !== c) {
          shape.emphasis++;
          blockRuns++;
        }
        continue;
      }
      shape.markup++;
      if (c === Ch.Pipe) pipe = true;
      else if (c === Ch.Lt) inTag = true;
      else if (c === Ch.Gt) inTag = false;
      else if (c === Ch.Backslash) i++;
      else if (c === Ch.LBracket) deepest = Math.max(deepest, containers + ++brackets);
      else if (c === Ch.RBracket && brackets > 0) brackets--;
    }
    if (deepest > shape.depth) {
      shape.depth = deepest;
      shape.depthLine = line;
    }
    if (!blank) {
      // A heading is a block of its own, and so is the line after it; after a line with
      // a `|`, every line up to a blank one may be a table row.
      const heading = body.charCodeAt(p) === Ch.Hash;
      if (pipe) inTable = true;
      // marked lexes the lines of a list or quote again at every level around them.
      shape.blocks += containers;
      if (
        previousBlank ||
        markers > 0 ||
        quotes !== lastQuotes ||
        heading ||
        afterHeading ||
        inTable
      )
        shape.blocks++;
      // A table row is lexed cell by cell: it counts twice.
      if (inTable) shape.blocks++;
      afterHeading = heading;
      lastQuotes = quotes;
    }
    previousBlank = blank;
    start = end + 1;
  }
  if (blockRuns > shape.emphasisPerBlock) {
    shape.emphasisPerBlock = blockRuns;
    shape.blockLine = blockStart;
  }
  return shape;
}

/** Refusals for a Markdown body beyond BODY_LIMITS (empty when within them). */
function markdownLimitProblems(shape: BodyShape): string[] {
  const problems: string[] = [];
  if (shape.depth > BODY_LIMITS.depth)
    problems.push(
      `is nested ${shape.depth} levels deep at line ${shape.depthLine} (block quotes, lists and [brackets] inside one another); at most ${BODY_LIMITS.depth} levels are accepted`,
    );
  if (shape.blocks > BODY_LIMITS.blocks)
    problems.push(
      `has ${shape.blocks} blocks (paragraphs, headings, list items, and table rows twice, with each line inside a list or quote counted once more for every level around it); at most ${BODY_LIMITS.blocks} are accepted in one body`,
    );
  if (shape.emphasisPerBlock > BODY_LIMITS.emphasisPerBlock)
    problems.push(
      `has ${shape.emphasisPerBlock} emphasis markers (runs of *, _ or ~) in the block of text that starts at line ${shape.blockLine}; at most ${BODY_LIMITS.emphasisPerBlock} are accepted between two blank lines: add a blank line, or escape markers that are text as \\*, \\_ or \\~`,
    );
  if (shape.emphasis > BODY_LIMITS.emphasis)
    problems.push(
      `has ${shape.emphasis} emphasis markers (runs of *, _ or ~); at most ${BODY_LIMITS.emphasis} are accepted in one body`,
    );
  if (shape.markup > BODY_LIMITS.markup)
    problems.push(
      `has ${shape.markup} markup characters (\` [ ] < > ! \\ & |, and the spaces between attributes of HTML tags); at most ${BODY_LIMITS.markup} are accepted in one body`,
    );
  return problems;
}

/** Refusals for an HTML body beyond BODY_LIMITS, before sanitising it. */
function htmlLimitProblems(body: string): string[] {
  let markup = 0;
  let inTag = false;
  let space = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === Ch.Lt) {
      markup++;
      inTag = true;
    } else if (c === Ch.Amp) markup++;
    else if (c === Ch.Gt) inTag = false;
    else if (inTag && (c === Ch.Space || c === 10 || c === Ch.Tab || c === 13)) {
      if (!space) markup++;
      space = true;
      continue;
    }
    space = false;
  }
  return markup > BODY_LIMITS.markup
    ? [
        `has ${markup} markup characters (<, &, and the spaces between attributes); at most ${BODY_LIMITS.markup} are accepted in one body`,
      ]
    : [];
}

const markdown = new Marked({ gfm: true, async: false });

/** A body that is over the limits, as plain paragraphs: nothing in it is parsed. */
function plainParagraphs(body: string): string {
  return body
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => `<p>${escapeXml(block)}</p>`)
    .join("\n");
}

/**
 * The body as sanitised HTML and what ingestion refuses in it. A body over the limits is
 * not parsed: its problems say why, and its HTML is its text in plain paragraphs.
 */
function processBody(
  site: SiteConfig,
  body: string,
  format: "markdown" | "html",
  mode: Mode,
): Sanitised {
  const limits =
    format === "markdown" ? markdownLimitProblems(markdownShape(body)) : htmlLimitProblems(body);
  if (limits.length > 0)
    return { html: mode === "render" ? plainParagraphs(body) : "", problems: limits };
  const html = format === "markdown" ? (markdown.parse(body) as string) : body;
  return sanitise(site, html, mode);
}

/** Problems that make ingestion refuse a body; empty when it is acceptable. */
export function findUnsafeMarkup(
  site: SiteConfig,
  body: string,
  format: "markdown" | "html",
): string[] {
  return checkBody(site, body, format).problems;
}

/**
 * Ingestion's check and, for a body it accepts, the HTML renderBodyHtml gives (one parse
 * for both: the modes differ only where a problem is reported).
 */
export function checkBody(
  site: SiteConfig,
  body: string,
  format: "markdown" | "html",
): { problems: string[]; html?: string } {
  const { html, problems } = processBody(site, body, format, "check");
  return problems.length > 0 ? { problems } : { problems, html: html.trim() };
}

/** Sanitised HTML for feeds and pages, with absolute URLs. */
export function renderBodyHtml(
  site: SiteConfig,
  body: string,
  format: "markdown" | "html",
): string {
  return processBody(site, body, format, "render").html.trim();
}
