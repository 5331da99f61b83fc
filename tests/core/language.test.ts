/** src/core/language.ts: BCP 47 well-formedness and the direction a tag implies. */
import { describe, expect, it } from "vitest";
import { checkLanguageTag, directionOf, isWellFormedLanguageTag } from "../../src/core/language.ts";
import { parseSiteConfig } from "../../src/core/site.ts";

describe("directionOf", () => {
  it.each(["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"])(
    "%s (right-to-left default script) → rtl",
    (tag) => {
      expect(directionOf(tag)).toBe("rtl");
    },
  );

  it.each([
    ["az-Arab", "rtl"],
    ["az", "ltr"],
    ["az-Latn", "ltr"],
    ["ar-Latn", "ltr"],
    ["ar-Arab", "rtl"],
    ["en", "ltr"],
    ["en-GB", "ltr"],
    ["fr", "ltr"],
    ["zh-Hant-TW", "ltr"],
    ["ar-EG", "rtl"],
    ["ar-SA", "rtl"],
    ["ar-001", "rtl"],
    ["ar-Arab-EG", "rtl"],
    ["ar-Latn-EG", "ltr"],
    ["AR", "rtl"],
    ["Ar-eg", "rtl"],
    ["az-ARAB", "rtl"],
    ["he-IL", "rtl"],
    ["iw", "rtl"],
    ["fa-IR", "rtl"],
    ["fa-AF", "rtl"],
    ["ur-PK", "rtl"],
    ["ckb-IQ", "rtl"],
    ["ug-Cyrl", "ltr"],
    ["pa-Arab", "rtl"],
    ["ms-Arab", "rtl"],
    ["en-Arab", "rtl"],
    ["yi-Hebr", "rtl"],
    ["ff-Adlm", "rtl"],
    ["sd-Deva", "ltr"],
    ["ks-Deva", "ltr"],
    ["ar-arb", "rtl"],
    ["zh-yue-Hant", "ltr"],
    ["ar-u-nu-latn", "rtl"],
    ["ar-x-newsroom", "rtl"],
    ["x-private", "ltr"],
    ["", "ltr"],
    ["tlh", "ltr"],
  ])("%s → %s", (tag, direction) => {
    expect(directionOf(tag)).toBe(direction);
  });

  // CLDR likely subtags: the region can imply a script whose direction differs from the
  // language's default (az-IR → az-Arab-IR, pa-PK → pa-Arab-PK, sd-IN → sd-Deva-IN); an
  // explicit script subtag still decides.
  it.each([
    ["az-IR", "rtl"],
    ["AZ-ir", "rtl"],
    ["az-IQ", "rtl"],
    ["pa-PK", "rtl"],
    ["uz-AF", "rtl"],
    ["tg-PK", "rtl"],
    ["ms-CC", "rtl"],
    ["ks-IN", "rtl"],
    ["sd-IN", "ltr"],
    ["sd-PK", "rtl"],
    ["az-AZ", "ltr"],
    ["pa-IN", "ltr"],
    ["az-Latn-IR", "ltr"],
    ["pa-Guru-PK", "ltr"],
    ["sd-Arab-IN", "rtl"],
  ])("%s (region implies the script unless one is given) → %s", (tag, direction) => {
    expect(directionOf(tag)).toBe(direction);
  });
});

describe("isWellFormedLanguageTag", () => {
  it.each([
    "ar",
    "ar-EG",
    "zh-Hant-TW",
    "az-Arab",
    "x-private",
    "en",
    "AR-eg",
    "ar-001",
    "ckb",
    "ar-arb",
    "zh-yue-HK",
    "sl-rozaj-biske",
    "de-CH-1901",
    "en-US-u-islamcal",
    "ar-u-nu-arab",
    "en-a-bbb-x-a-ccc",
    "qaa-Qaaa-QM-x-southern",
    "ar-x-newsroom",
    "tlhingan",
  ])("accepts %j", (tag) => {
    expect(isWellFormedLanguageTag(tag)).toBe(true);
  });

  it.each([
    "",
    "arabic!",
    "a",
    "ar--EG",
    "toolongsubtagxx",
    "ar-",
    "-ar",
    "ar_EG",
    "ar EG",
    " ar",
    "ar\n",
    "ar-EG-",
    "ar-x",
    "x",
    "ar-a",
    "ar-Arab-Arab-EG-EG",
    "1a",
    "ar-toolongvariant",
    "عربي",
  ])("rejects %j", (tag) => {
    expect(isWellFormedLanguageTag(tag)).toBe(false);
  });
});

describe("checkLanguageTag", () => {
  it.each([
    ["ar", "ar"],
    ["AR", "ar"],
    ["ar-ps", "ar-PS"],
    ["az-arab", "az-Arab"],
    ["fa-IR", "fa-IR"],
    ["zh-hant-tw", "zh-Hant-TW"],
    ["ckb", "ckb"],
  ])("%s is known, stored as %s", (given, canonical) => {
    expect(checkLanguageTag(given)).toEqual({ ok: true, tag: canonical });
  });

  it.each([
    ["arabic", /not a language this runtime knows/],
    ["ara", /alias: use "ar"/],
    ["arb", /alias: use "ar"/],
    ["iw", /alias: use "he"/],
    ["qaa", /not a language/],
    ["und", /not a language/],
    ["ar-XX", /"XX" is not a region/],
    ["ar_PS", /BCP 47 language tag/],
    ["", /BCP 47 language tag/],
    [`ar-${"x".repeat(40)}`, /at most 35 characters/],
  ])("%s is refused", (given, message) => {
    const checked = checkLanguageTag(given);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(message);
  });

  it("SITE_LANGUAGE is checked the same way, naming the variable and the value", () => {
    const vars = { SITE_URL: "https://n.example", SITE_TITLE: "t", SITE_DESCRIPTION: "d" };
    expect(() => parseSiteConfig({ ...vars, SITE_LANGUAGE: "arabic" })).toThrow(
      /^SITE_LANGUAGE is "arabic": "arabic" is not a language this runtime knows/,
    );
    expect(() => parseSiteConfig({ ...vars, SITE_LANGUAGE: "ara" })).toThrow(/use "ar"/);
    expect(parseSiteConfig({ ...vars, SITE_LANGUAGE: "AR" }).language).toBe("ar");
  });
});
