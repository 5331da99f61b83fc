/**
 * Article bodies: Markdown rendered with `marked`, then every body (Markdown or HTML)
 * passed through an allow-list sanitiser (`xss`). Ingestion refuses bodies that carry
 * dangerous markup (the editor learns exactly what), and rendering sanitises again, so a
 * record that reached storage some other way still cannot put script into a feed.
 *
 * Allowed: paragraphs, headings, lists, links, images, blockquote, figure, tables, inline
 * emphasis, `bdi`, and `dir`/`lang` everywhere. Not allowed: script, iframe, object,
 * embed, style (element or attribute), on* handlers, javascript:/data: URLs, and `bdo`
 * (the W3C validator reports it as a security risk; `bdi` or `dir` say the same thing).
 */
import { Marked } from "marked";
import type * as Xss from "xss";
import xssDefault from "xss";
import type { SiteConfig } from "./site.ts";
import { resolveHttpUrl } from "./urls.ts";

// xss is CommonJS whose helpers are attached at run time: take them off the default export.
const { escapeAttrValue, FilterXSS, friendlyAttrValue } = xssDefault as unknown as typeof Xss;

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

const WHITE_LIST = Object.fromEntries(
  Object.entries(ALLOWED_TAGS).map(([tag, attrs]) => [tag, [...attrs, ...GLOBAL_ATTRIBUTES]]),
);

/** Elements whose content is never text a reader should see: removed with their body. */
const OPAQUE_ELEMENTS =
  /<(script|style|iframe|object|template|noscript|svg|math|textarea|select)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;

function createFilter(
  site: SiteConfig,
  report: (problem: string) => void,
): InstanceType<typeof FilterXSS> {
  return new FilterXSS({
    whiteList: WHITE_LIST,
    allowCommentTag: false,
    css: false,
    // Tags outside the allow-list are dropped, their text kept; dangerous ones are reported.
    onIgnoreTag(tag) {
      if (DANGEROUS_TAGS.has(tag.toLowerCase())) report(`<${tag.toLowerCase()}> is not allowed`);
      return "";
    },
    onTagAttr(tag, name, value) {
      const raw = friendlyAttrValue(value).trim();
      if (URL_ATTRIBUTES.has(name)) {
        if (name === "href" && (raw.startsWith("#") || /^mailto:/i.test(raw)))
          return `${name}="${escapeAttrValue(raw)}"`;
        const url = resolveHttpUrl(site, raw);
        if (!url) {
          report(
            `<${tag} ${name}="${raw.slice(0, 60)}"> must be an http(s) URL or a relative path`,
          );
          return "";
        }
        return `${name}="${escapeAttrValue(url)}"`;
      }
      if (name === "dir" && !/^(rtl|ltr|auto)$/i.test(raw)) return 'dir="auto"';
      return undefined;
    },
    onIgnoreTagAttr(tag, name) {
      const attr = name.toLowerCase();
      if (attr.startsWith("on")) report(`the ${attr} attribute on <${tag}> is not allowed`);
      else if (attr === "style") report(`the style attribute on <${tag}> is not allowed`);
      return "";
    },
  });
}

/** Removes opaque elements with their bodies, reporting each kind once. */
function stripOpaque(html: string, report: (problem: string) => void): string {
  return html.replace(OPAQUE_ELEMENTS, (_match, tag: string) => {
    report(`<${tag.toLowerCase()}> is not allowed`);
    return "";
  });
}

const markdown = new Marked({ gfm: true, async: false });

/** The body as HTML, before sanitising. */
function toHtml(body: string, format: "markdown" | "html"): string {
  return format === "markdown" ? (markdown.parse(body) as string) : body;
}

/** Problems that make ingestion refuse a body; empty when it is acceptable. */
export function findUnsafeMarkup(
  site: SiteConfig,
  body: string,
  format: "markdown" | "html",
): string[] {
  const problems = new Set<string>();
  const report = (p: string) => problems.add(p);
  createFilter(site, report).process(stripOpaque(toHtml(body, format), report));
  return [...problems];
}

/** Sanitised HTML for feeds and pages, with absolute URLs. */
export function renderBodyHtml(
  site: SiteConfig,
  body: string,
  format: "markdown" | "html",
): string {
  const ignore = () => {};
  return createFilter(site, ignore)
    .process(stripOpaque(toHtml(body, format), ignore))
    .trim();
}
