/**
 * Reads RSS, Atom and JSON Feed documents the way real consumers do: for
 * `npm run check:feeds` (check-feeds.ts) and for the tests, which import it from here
 * (tests may import tools; tools never import tests).
 *
 * Every format is read by several independent parsers, each reduced to the same small
 * shape (feed title and language; per item title, summary, content, author names,
 * category labels) so tests can compare what each consumer understood:
 *
 * - `strict-xml`: a strict, namespace-aware XML 1.0 parser (saxes) that throws on any
 *   well-formedness error, with the feed read straight off the element tree. It does no
 *   trimming or decoding beyond XML's own, so it shows exactly what the bytes say.
 * - `@rowanmanning/feed-parser`, `@extractus/feed-extractor`, `feedsmith`: npm feed
 *   parsers as feed readers use them (lenient; they trim surrounding whitespace).
 * - `JSON.parse` for JSON Feed, beside extractus and feedsmith.
 *
 * `validateJsonFeed` checks a JSON Feed against the JSON Feed 1.1 JSON Schema
 * (jsonfeed-schema + ajv with formats).
 */

import { extractFromJson, extractFromXml } from "@extractus/feed-extractor";
import { parseFeed as parseRowanmanning } from "@rowanmanning/feed-parser";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parseFeed as parseFeedsmith } from "feedsmith";
import jsonFeedSchema from "jsonfeed-schema/schema-v1.1.json" with { type: "json" };
import { SaxesParser, type SaxesTagNS } from "saxes";
import type { FeedFormat } from "../src/core/urls.ts";

export interface ParsedItem {
  title?: string | undefined;
  /** RSS description, Atom summary, JSON Feed summary. */
  summary?: string | undefined;
  /** HTML content: RSS content:encoded, Atom content, JSON Feed content_html. */
  content?: string | undefined;
  authors: string[];
  categories: string[];
  /** The item's own language, where the format and parser report one. */
  language?: string | undefined;
}

export interface ParsedFeed {
  parser: string;
  title?: string | undefined;
  language?: string | undefined;
  items: ParsedItem[];
}

export const ATOM_NS = "http://www.w3.org/2005/Atom";
export const CONTENT_NS = "http://purl.org/rss/1.0/modules/content/";
export const DC_NS = "http://purl.org/dc/elements/1.1/";
export const XML_NS = "http://www.w3.org/XML/1998/namespace";

// ---- strict XML -------------------------------------------------------------

export interface XmlElement {
  /** Qualified name as written (`dc:creator`). */
  name: string;
  local: string;
  uri: string;
  /** Attribute values by qualified name (`xml:lang`, `label`). */
  attributes: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/**
 * Parses XML strictly (XML 1.0 well-formedness and Namespaces in XML) into an element
 * tree. Throws on the first error, with line and column.
 */
export function parseXmlStrict(xml: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let error: Error | undefined;
  const addText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.children.push(text);
  };
  parser.on("error", (e) => {
    error ??= e;
  });
  parser.on("opentag", (tag: SaxesTagNS) => {
    const attributes: Record<string, string> = {};
    for (const [name, attr] of Object.entries(tag.attributes)) attributes[name] = attr.value;
    const el: XmlElement = {
      name: tag.name,
      local: tag.local,
      uri: tag.uri,
      attributes,
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.on("text", addText);
  parser.on("cdata", addText);
  parser.write(xml).close();
  if (error) throw error;
  if (!root) throw new Error("no root element");
  return root;
}

/** Concatenated character data of an element and its descendants. */
export function textOf(el: XmlElement): string {
  return el.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
}

export function childElements(el: XmlElement, local?: string, uri?: string): XmlElement[] {
  return el.children.filter(
    (c): c is XmlElement =>
      typeof c !== "string" &&
      (local === undefined || c.local === local) &&
      (uri === undefined || c.uri === uri),
  );
}

function firstChild(el: XmlElement, local: string, uri: string): XmlElement | undefined {
  return childElements(el, local, uri)[0];
}

function optionalText(el: XmlElement | undefined): string | undefined {
  return el ? textOf(el) : undefined;
}

function strictRss(xml: string): ParsedFeed {
  const root = parseXmlStrict(xml);
  if (root.name !== "rss") throw new Error(`root element is <${root.name}>, not <rss>`);
  const channel = childElements(root, "channel", "")[0];
  if (!channel) throw new Error("no <channel>");
  return {
    parser: "strict-xml",
    title: optionalText(firstChild(channel, "title", "")),
    language: optionalText(firstChild(channel, "language", "")),
    items: childElements(channel, "item", "").map((item) => ({
      title: optionalText(firstChild(item, "title", "")),
      summary: optionalText(firstChild(item, "description", "")),
      content: optionalText(firstChild(item, "encoded", CONTENT_NS)),
      authors: childElements(item, "creator", DC_NS).map(textOf),
      categories: childElements(item, "category", "").map(textOf),
      language: optionalText(firstChild(item, "language", DC_NS)),
    })),
  };
}

function strictAtom(xml: string): ParsedFeed {
  const root = parseXmlStrict(xml);
  if (root.local !== "feed" || root.uri !== ATOM_NS) throw new Error("root is not atom:feed");
  const language = root.attributes["xml:lang"];
  return {
    parser: "strict-xml",
    title: optionalText(firstChild(root, "title", ATOM_NS)),
    language,
    items: childElements(root, "entry", ATOM_NS).map((entry) => ({
      title: optionalText(firstChild(entry, "title", ATOM_NS)),
      summary: optionalText(firstChild(entry, "summary", ATOM_NS)),
      content: optionalText(firstChild(entry, "content", ATOM_NS)),
      authors: childElements(entry, "author", ATOM_NS).map((a) =>
        textOf(firstChild(a, "name", ATOM_NS) ?? a),
      ),
      categories: childElements(entry, "category", ATOM_NS).map(
        (c) => c.attributes.label ?? c.attributes.term ?? "",
      ),
      language: entry.attributes["xml:lang"] ?? language,
    })),
  };
}

// ---- npm feed parsers ----------------------------------------------------------

const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : value == null ? undefined : String(value);

function rowanmanning(xml: string): ParsedFeed {
  const feed = parseRowanmanning(xml);
  return {
    parser: "@rowanmanning/feed-parser",
    title: str(feed.title),
    language: str(feed.language),
    items: feed.items.map((item) => ({
      title: str(item.title),
      summary: str(item.description),
      content: str(item.content),
      authors: item.authors.map((a) => a.name ?? ""),
      categories: item.categories.map((c) => c.label ?? c.term ?? ""),
    })),
  };
}

type Raw = Record<string, unknown>;
const asArray = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
/** fast-xml-parser's value of a text element: a string, or an object with `#text`. */
const xmlText = (value: unknown): string | undefined => {
  if (value && typeof value === "object") return str((value as Raw)["#text"]) ?? "";
  return str(value);
};

function extractus(text: string, format: FeedFormat): ParsedFeed {
  const options = {
    descriptionMaxLen: 0,
    getExtraEntryFields: (raw: Raw) => {
      if (format === "json") {
        return {
          rawSummary: str(raw.summary),
          rawContent: str(raw.content_html),
          rawAuthors: asArray(raw.authors).map((a) => str((a as Raw).name) ?? ""),
          rawCategories: asArray(raw.tags).map((t) => str(t) ?? ""),
          rawLanguage: str(raw.language),
        };
      }
      if (format === "rss") {
        return {
          rawSummary: xmlText(raw.description),
          rawContent: xmlText(raw["content:encoded"]),
          rawAuthors: asArray(raw["dc:creator"]).map((a) => xmlText(a) ?? ""),
          rawCategories: asArray(raw.category).map((c) =>
            c && typeof c === "object"
              ? (str((c as Raw).text) ?? xmlText(c) ?? "")
              : (str(c) ?? ""),
          ),
          rawLanguage: xmlText(raw["dc:language"]),
        };
      }
      return {
        rawSummary: xmlText(raw.summary),
        rawContent: xmlText(raw.content),
        rawAuthors: asArray(raw.author).map((a) => xmlText((a as Raw).name) ?? ""),
        rawCategories: asArray(raw.category).map((c) => str((c as Raw)["@_label"]) ?? ""),
        rawLanguage: str(raw["@_xml:lang"]),
      };
    },
  };
  const feed = format === "json" ? extractFromJson(text, options) : extractFromXml(text, options);
  return {
    parser: "@extractus/feed-extractor",
    title: str(feed.title),
    language: str(feed.language),
    items: (feed.entries ?? []).map((e) => {
      const entry = e as unknown as Raw;
      return {
        title: str(entry.title),
        summary: str(entry.rawSummary),
        content: str(entry.rawContent),
        authors: (entry.rawAuthors as string[] | undefined) ?? [],
        categories: (entry.rawCategories as string[] | undefined) ?? [],
        language: str(entry.rawLanguage),
      };
    }),
  };
}

/** feedsmith text constructs are strings or `{ value, type }`. */
const textConstruct = (value: unknown): string | undefined =>
  value && typeof value === "object" ? str((value as Raw).value) : str(value);

function feedsmith(text: string): ParsedFeed {
  const { format, feed } = parseFeedsmith(text) as { format: string; feed: Raw };
  const parser = "feedsmith";
  if (format === "rss") {
    return {
      parser,
      title: str(feed.title),
      language: str(feed.language),
      items: asArray(feed.items).map((i) => {
        const item = i as Raw;
        return {
          title: str(item.title),
          summary: str(item.description),
          content: str((item.content as Raw | undefined)?.encoded),
          authors: asArray((item.dc as Raw | undefined)?.creators).map((a) => str(a) ?? ""),
          categories: asArray(item.categories).map((c) => str((c as Raw).name) ?? ""),
          language: str((item.dc as Raw | undefined)?.language),
        };
      }),
    };
  }
  if (format === "atom") {
    return {
      parser,
      title: textConstruct(feed.title),
      // feedsmith 3 reports xml:lang under `xml`.
      language: str(feed.lang) ?? str((feed.xml as Raw | undefined)?.lang),
      items: asArray(feed.entries).map((e) => {
        const entry = e as Raw;
        return {
          title: textConstruct(entry.title),
          summary: textConstruct(entry.summary),
          content: textConstruct(entry.content),
          authors: asArray(entry.authors).map((a) => str((a as Raw).name) ?? ""),
          categories: asArray(entry.categories).map(
            (c) => str((c as Raw).label) ?? str((c as Raw).term) ?? "",
          ),
          language: str(entry.lang),
        };
      }),
    };
  }
  // feedsmith hands JSON Feed back as it is: the same reading as JSON.parse's.
  if (format === "json") return { ...jsonFeedReading(feed), parser };
  throw new Error(`feedsmith detected ${format}`);
}

/** A parsed JSON Feed object in the common shape. */
function jsonFeedReading(feed: Raw): ParsedFeed {
  return {
    parser: "JSON.parse",
    title: str(feed.title),
    language: str(feed.language),
    items: asArray(feed.items).map((i) => {
      const item = i as Raw;
      return {
        title: str(item.title),
        summary: str(item.summary),
        content: str(item.content_html),
        authors: asArray(item.authors).map((a) => str((a as Raw).name) ?? ""),
        categories: asArray(item.tags).map((t) => str(t) ?? ""),
        language: str(item.language),
      };
    }),
  };
}

function plainJson(json: string): ParsedFeed {
  return jsonFeedReading(JSON.parse(json) as Raw);
}

// ---- entry points ---------------------------------------------------------------

export const PARSERS: Record<FeedFormat, readonly string[]> = {
  rss: ["strict-xml", "@rowanmanning/feed-parser", "@extractus/feed-extractor", "feedsmith"],
  atom: ["strict-xml", "@rowanmanning/feed-parser", "@extractus/feed-extractor", "feedsmith"],
  json: ["JSON.parse", "@extractus/feed-extractor", "feedsmith"],
};

/** One parser's reading of a document; throws what the parser throws. */
export function parseWith(parser: string, text: string, format: FeedFormat): ParsedFeed {
  switch (parser) {
    case "strict-xml":
      if (format === "json") throw new Error("strict-xml reads RSS and Atom only");
      return format === "rss" ? strictRss(text) : strictAtom(text);
    case "JSON.parse":
      if (format !== "json") throw new Error("JSON.parse reads JSON Feed only");
      return plainJson(text);
    case "@rowanmanning/feed-parser":
      if (format === "json") throw new Error("feed-parser reads RSS and Atom only");
      return rowanmanning(text);
    case "@extractus/feed-extractor":
      return extractus(text, format);
    case "feedsmith":
      return feedsmith(text);
    default:
      throw new Error(`unknown parser ${parser}`);
  }
}

/** Every parser's reading of a document (strict parser first). */
export function parseAll(text: string, format: FeedFormat): ParsedFeed[] {
  return PARSERS[format].map((parser) => parseWith(parser, text, format));
}

let validator: ReturnType<Ajv["compile"]> | undefined;

/** JSON Feed 1.1 schema errors (empty when valid); `json` is the document text. */
export function validateJsonFeed(json: string): string[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(jsonFeedSchema);
  }
  const data: unknown = JSON.parse(json);
  if (validator(data)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}
