/**
 * src/core/bidi.ts against independent oracles over the Bidi_Class data that bidi-js
 * ships (tests/support/rtl-corpus.ts) — UAX #9 P2/P3, which skips isolates, and the
 * browsers' `dir="auto"` rule, which does not — plus hand-checked examples.
 */
import { decodeHTML } from "entities";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  anchorText,
  directionMarkFor,
  firstStrongDirection,
  LRM,
  RLM,
  strongDirectionOf,
  visibleText,
} from "../../src/core/bidi.ts";
import {
  bidiClass,
  browserDirection,
  browserFirstStrong,
  type Direction,
  oracleDirection,
  oracleFirstStrong,
} from "../support/rtl-corpus.ts";

const SEED = Number(process.env.FC_SEED ?? 20261130);
console.log(`bidi.test.ts: fast-check seed ${SEED} (replay with FC_SEED=${SEED})`);

const LRI = "\u2066";
const RLI = "\u2067";
const FSI = "\u2068";
const PDI = "\u2069";

/** Characters a newsroom's text is made of, with marks, isolates and embeddings. */
const REALISTIC = [
  "a",
  "Z",
  "é",
  "ß",
  "ا",
  "ب",
  "ة",
  "ى",
  "ی",
  "ک",
  "ے",
  "פ",
  "ש",
  "ܐ",
  "ދ",
  "ߊ",
  "ﺍ",
  "ﻻ",
  "\u064E",
  "\u0651",
  "0",
  "9",
  "٠",
  "٩",
  "۴",
  " ",
  "\u00A0",
  "\n",
  "\t",
  ":",
  ",",
  "،",
  ".",
  "-",
  "—",
  "(",
  ")",
  "«",
  "»",
  '"',
  "'",
  "#",
  "@",
  "%",
  "/",
  "🔴",
  "📷",
  "\uFE0F",
  RLM,
  LRM,
  "\u061C",
  LRI,
  RLI,
  FSI,
  PDI,
  "\u202A",
  "\u202B",
  "\u202C",
  "\u202D",
  "\u202E",
  "\u200D",
];
const realisticText = fc.string({ unit: fc.constantFrom(...REALISTIC), maxLength: 24 });
const direction = fc.constantFrom<Direction>("rtl", "ltr");
const runs = { seed: SEED, numRuns: 300 };

describe("firstStrongDirection", () => {
  it.each([
    ["", undefined],
    ["2020", undefined],
    ["١٢٣ ٪", undefined],
    ["🔴 ...", undefined],
    ["مرحبا", "rtl"],
    ["Hello", "ltr"],
    ["2020 عام الجائحة", "rtl"],
    ["CNN: خبر عاجل", "ltr"],
    ["שלום", "rtl"],
    ["ܫܠܡܐ", "rtl"],
    ["ދިވެހި", "rtl"],
    ["ߒߞߏ", "rtl"],
    ["ﻻ", "rtl"],
    ["٢٠٢٠ iPhone", "ltr"],
    ["«الجزيرة»", "rtl"],
    ["\u064E a", "ltr"],
    [RLM, "rtl"],
    [LRM, "ltr"],
    ["\u061C", "rtl"],
    [`${RLM}CNN`, "rtl"],
    [`${LRM}مرحبا`, "ltr"],
    [`${LRI}CNN${PDI} قال`, "rtl"],
    [`${RLI}قال${PDI} CNN`, "ltr"],
    [`${FSI}CNN قال`, undefined],
    [`${LRI}${RLI}a${PDI}b${PDI} ج`, "rtl"],
    [`${PDI}CNN`, "ltr"],
    ["\u202BCNN", "ltr"],
    ["\u202Eمرحبا", "rtl"],
  ] as const)("%j → %s", (text, expected) => {
    expect(firstStrongDirection(text)).toBe(expected);
    expect(oracleFirstStrong(text)).toBe(expected);
  });

  it("classifies every code point by its Bidi_Class (L → ltr, R/AL → rtl, others none)", () => {
    const disagreements: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const type = bidiClass(ch);
      const expected = type === "L" ? "ltr" : type === "R" || type === "AL" ? "rtl" : undefined;
      if (strongDirectionOf(cp) !== expected || firstStrongDirection(ch) !== expected)
        disagreements.push(`U+${cp.toString(16).toUpperCase()} (${type})`);
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
  });

  it("agrees with the oracle on text made of newsroom characters, isolates and marks", () => {
    fc.assert(
      fc.property(realisticText, (text) => {
        expect(firstStrongDirection(text)).toBe(oracleFirstStrong(text));
      }),
      runs,
    );
  });

  it.each([
    [`${LRI}CNN${PDI} قال`, "ltr"],
    [`${RLI}قال${PDI} CNN`, "rtl"],
    [`${FSI}CNN قال`, "ltr"],
    [`${LRI}${PDI}قال`, "rtl"],
    [`${PDI}CNN`, "ltr"],
    [`${RLI}${PDI}`, undefined],
    ["2020 عام", "rtl"],
  ] as const)("with { skipIsolates: false } (browsers' dir=auto): %j → %s", (text, expected) => {
    expect(firstStrongDirection(text, { skipIsolates: false })).toBe(expected);
    expect(browserFirstStrong(text)).toBe(expected);
  });

  it("with { skipIsolates: false } agrees with the browsers' rule on newsroom text", () => {
    fc.assert(
      fc.property(realisticText, (text) => {
        expect(firstStrongDirection(text, { skipIsolates: false })).toBe(browserFirstStrong(text));
      }),
      runs,
    );
  });

  // Bidi_Class is not Script + General_Category: classifying by script and category gets
  // these wrong (tatweel is Script=Common, gc=Lm; Roman numerals are gc=Nl; …).
  describe("characters whose Bidi_Class differs from what their Script and General_Category suggest", () => {
    it.each([
      ["U+0640 ARABIC TATWEEL", "\u0640", "rtl"],
      ["U+061B ARABIC SEMICOLON", "\u061B", "rtl"],
      ["U+061F ARABIC QUESTION MARK", "\u061F", "rtl"],
      ["U+06D4 ARABIC FULL STOP (Urdu)", "\u06D4", "rtl"],
      ["U+060B AFGHANI SIGN", "\u060B", "rtl"],
      ["U+05BE HEBREW PUNCTUATION MAQAF", "\u05BE", "rtl"],
      ["U+05F4 HEBREW PUNCTUATION GERSHAYIM", "\u05F4", "rtl"],
      ["U+07C0 NKO DIGIT ZERO", "\u07C0", "rtl"],
      ["U+0966 DEVANAGARI DIGIT ZERO", "\u0966", "ltr"],
      ["U+2160 ROMAN NUMERAL ONE", "\u2160", "ltr"],
      ["U+02B9 MODIFIER LETTER PRIME (Bidi_Class ON)", "\u02B9", undefined],
    ] as const)("%s is classified by its Bidi_Class", (_name, ch, bidiDirection) => {
      expect(oracleFirstStrong(ch)).toBe(bidiDirection);
      expect(strongDirectionOf(ch.codePointAt(0) as number)).toBe(bidiDirection);
      expect(firstStrongDirection(ch)).toBe(bidiDirection);
      expect(firstStrongDirection(`${ch} CNN قال`)).toBe(bidiDirection ?? "ltr");
    });
    it("an English item opening with an Arabic question mark gets an LRM", () => {
      // Browsers see U+061F (AL) first and show the title right-to-left.
      expect(directionMarkFor("؟ What comes next for Gaza", "ltr")).toBe(LRM);
    });
    it("an Arabic headline opening with tatweel gets no mark (it is already rtl)", () => {
      expect(directionMarkFor("ـــ عاجل ـــ", "rtl")).toBe("");
    });
  });
});

describe("directionMarkFor", () => {
  it.each([
    ["CNN: خبر", "rtl", RLM],
    ["خبر", "rtl", ""],
    ["2020 عام", "rtl", ""],
    ["2020", "rtl", RLM],
    ["", "rtl", RLM],
    [`${LRM}خبر`, "rtl", RLM],
    [`${RLM}CNN`, "rtl", ""],
    ["Gaza", "ltr", ""],
    ["القدس: Jerusalem", "ltr", LRM],
    ["2020", "ltr", ""],
    ["", "ltr", ""],
    [`${RLM}Gaza`, "ltr", LRM],
    // Isolates: no mark only where P2 (isolates skipped) and the browsers' rule (not
    // skipped) both already give the direction.
    [`${RLI}القدس${PDI} marks`, "ltr", LRM],
    [`${LRI}CNN${PDI} قال`, "rtl", RLM],
    [`${RLI}قال${PDI} خبر`, "rtl", ""],
    [`${LRI}CNN${PDI} reports`, "ltr", ""],
    [`${FSI}CNN قال`, "rtl", RLM],
    [`${FSI}القدس marks`, "ltr", LRM],
    [`${RLI}قال${PDI}`, "rtl", RLM],
    [`${RLI}قال${PDI}`, "ltr", LRM],
    [`${LRI}CNN${PDI}`, "ltr", ""],
    [`${LRI}CNN${PDI}`, "rtl", RLM],
    [`${RLM}${LRI}CNN${PDI} قال`, "rtl", ""],
    [`${LRM}${RLI}القدس${PDI} marks`, "ltr", ""],
  ] as const)("%j as %s → %j", (text, dir, mark) => {
    expect(directionMarkFor(text, dir)).toBe(mark);
  });
});

describe("anchorText", () => {
  it("resolves to the wanted direction under both oracles (P2/P3 and the browsers' rule)", () => {
    fc.assert(
      fc.property(realisticText, direction, (text, dir) => {
        const anchored = anchorText(text, dir);
        expect(oracleDirection(anchored)).toBe(dir);
        expect(browserDirection(anchored)).toBe(dir);
      }),
      runs,
    );
  });

  it("adds at most one mark, of the wanted direction, and only where either rule disagrees", () => {
    fc.assert(
      fc.property(realisticText, direction, (text, dir) => {
        const anchored = anchorText(text, dir);
        const mark = dir === "rtl" ? RLM : LRM;
        if (oracleDirection(text) === dir && browserDirection(text) === dir)
          expect(anchored).toBe(text);
        else expect(anchored).toBe(mark + text);
        // Stripping one leading mark gives the text back exactly.
        if (anchored !== text) expect(anchored.slice(1)).toBe(text);
      }),
      runs,
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 30 }), direction, (text, dir) => {
        const once = anchorText(text, dir);
        expect(anchorText(once, dir)).toBe(once);
      }),
      runs,
    );
  });

  it("leaves agreeing text byte-for-byte alone", () => {
    expect(anchorText("2020 عام الجائحة", "rtl")).toBe("2020 عام الجائحة");
    expect(anchorText("Gaza", "ltr")).toBe("Gaza");
    expect(anchorText("CNN: خبر", "rtl")).toBe(`${RLM}CNN: خبر`);
    expect(anchorText("القدس: Jerusalem", "ltr")).toBe(`${LRM}القدس: Jerusalem`);
  });
});

describe("visibleText", () => {
  it.each([
    ["<p>CNN <strong>قال</strong></p>", "CNN قال"],
    ["<p>&#1575;&#x628;</p>", "اب"],
    ["<p>&#X627;</p>", "ا"],
    ["&nbsp;x", "\u00A0x"],
    ["<p>CNN</p>\n<p>قال</p>", "CNN\nقال"],
    ["&lrm;&rlm;", `${LRM}${RLM}`],
    ["&amp;&lt;&gt;&quot;&apos;", "&<>\"'"],
    ["&Eacute;&szlig;&AElig;", "aaa"],
    ["&hellip;&copy;&mdash;", "   "],
    ["&#x110000;&#xD800;&#xdfff;&#1114112;", "\uFFFD\uFFFD\uFFFD\uFFFD"],
  ])("%j → %j", (html, text) => {
    expect(visibleText(html)).toBe(text);
  });

  /** HTML fragments as the sanitiser leaves them (attribute values escaped). */
  const fragment = fc.constantFrom(
    "<p>",
    "</p>",
    '<p dir="ltr">',
    "<strong>",
    "</strong>",
    '<a href="https://example.org/">',
    "</a>",
    "<br>",
    "<bdi>",
    "</bdi>",
    "&amp;",
    "&lt;",
    "&gt;",
    "&quot;",
    "&nbsp;",
    "&apos;",
    "&lrm;",
    "&rlm;",
    "&Eacute;",
    "&szlig;",
    "&oslash;",
    "&hellip;",
    "&copy;",
    "&raquo;",
    "&#65;",
    "&#x627;",
    "&#1488;",
    "&#8207;",
    "&#x200e;",
    "CNN",
    "قال",
    "2020",
    "٢٠",
    " ",
    "\n",
    "🔴",
  );

  it("gives the direction a reader sees (tags dropped, references decoded)", () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), (parts) => {
        const html = parts.join("");
        const reader = decodeHTML(html.replace(/<[^>]*>/g, ""));
        expect(firstStrongDirection(visibleText(html))).toBe(oracleFirstStrong(reader));
      }),
      runs,
    );
  });

  it("&lrm; and &rlm; count as the marks they are", () => {
    expect(firstStrongDirection(visibleText("<p>&lrm;مرحبا</p>"))).toBe("ltr");
    expect(firstStrongDirection(visibleText("<p>&rlm;CNN</p>"))).toBe("rtl");
    expect(directionMarkFor(visibleText("<p>&lrm;مرحبا</p>"), "rtl")).toBe(RLM);
  });

  it("named references to Latin letters count as letters (&Eacute;)", () => {
    expect(firstStrongDirection(visibleText("<p>&Eacute; قال</p>"))).toBe("ltr");
    expect(firstStrongDirection(visibleText("<p>&szlig; قال</p>"))).toBe("ltr");
    expect(directionMarkFor(visibleText("<p>&Eacute;cole قال</p>"), "rtl")).toBe(RLM);
  });

  // HTML defines named references to many strong letters besides Latin ones (Greek,
  // Cyrillic, µ, ª), and shows an unknown name (`&foo;`) as written, letters and all.
  // src/core/bidi.ts visibleText counts all of these as a space, so an Arabic body that
  // opens with one gets no RLM and readers show it left-to-right.
  const STRONG_REFERENCES = [
    "<p>&alpha; نص</p>",
    "<p>&micro; نص</p>",
    "<p>&ordf; نص</p>",
    "<p>&Acy; نص</p>",
    "<p>&foo; نص</p>",
  ];
  it.each(STRONG_REFERENCES)("readers see %j as left-to-right", (html) => {
    expect(oracleFirstStrong(decodeHTML(html.replace(/<[^>]*>/g, "")))).toBe("ltr");
  });
  it.each(STRONG_REFERENCES)(
    "visibleText counts the reference in %j as the left-to-right letter(s) a reader sees",
    (html) => {
      expect(firstStrongDirection(visibleText(html))).toBe("ltr");
    },
  );

  it.each(["<p>&laquo; نص</p>", "<p>&hellip; نص</p>", "<p>&mdash; نص</p>", "<p>&copy; نص</p>"])(
    "visibleText counts the neutral reference in %j as neutral",
    (html) => {
      expect(firstStrongDirection(visibleText(html))).toBe("rtl");
    },
  );

  it("an out-of-range or surrogate numeric reference does not throw (HTML reads it as U+FFFD)", () => {
    // The sanitiser lets `&#x110000;` through; if visibleText threw, toFeedEntry (and every
    // rebuild including that article) would fail.
    expect(() => visibleText("<p>&#x110000; نص</p>")).not.toThrow();
    expect(firstStrongDirection(visibleText("<p>&#x110000; نص</p>"))).toBe("rtl");
    expect(() => visibleText("&#99999999999;&#xD800;&#0;")).not.toThrow();
  });
});
