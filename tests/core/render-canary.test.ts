/**
 * The build fingerprint follows what the renderers output: the render canary's hash
 * changes when any document renderer says something else, and buildFingerprint changes
 * with that hash and with the site configuration. (That the committed
 * RENDER_CANARY_HASH is the hash of today's output is checked, and rewritten with
 * UPDATE_GOLDEN=1, by tests/core/golden.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { buildFingerprint, type RenderedDoc } from "../../src/core/documents.ts";
import { canaryHash, DOCUMENT_RENDERERS, type Renderers } from "../../src/core/render-canary.ts";
import { RENDER_CANARY_HASH } from "../../src/core/render-canary-hash.ts";
import { parseSiteConfig } from "../../src/core/site.ts";

const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "أخبار",
  SITE_DESCRIPTION: "آخر الأخبار",
  SITE_LANGUAGE: "ar",
});

/** One more character at the end of a document's body. */
const changed = (doc: RenderedDoc): RenderedDoc => ({ ...doc, body: `${doc.body} ` });

/** The renderers with one of them changed so that its output differs by one space. */
const ALTERED: Record<keyof Renderers, Renderers> = {
  scopeFeeds: {
    ...DOCUMENT_RENDERERS,
    scopeFeeds: (...a) => DOCUMENT_RENDERERS.scopeFeeds(...a).map(changed),
  },
  archivePage: {
    ...DOCUMENT_RENDERERS,
    archivePage: (...a) => DOCUMENT_RENDERERS.archivePage(...a).map(changed),
  },
  scopeView: {
    ...DOCUMENT_RENDERERS,
    scopeView: (...a) => changed(DOCUMENT_RENDERERS.scopeView(...a)),
  },
  archiveView: {
    ...DOCUMENT_RENDERERS,
    archiveView: (...a) => changed(DOCUMENT_RENDERERS.archiveView(...a)),
  },
  home: { ...DOCUMENT_RENDERERS, home: (...a) => changed(DOCUMENT_RENDERERS.home(...a)) },
  article: { ...DOCUMENT_RENDERERS, article: (...a) => changed(DOCUMENT_RENDERERS.article(...a)) },
  gone: { ...DOCUMENT_RENDERERS, gone: (...a) => changed(DOCUMENT_RENDERERS.gone(...a)) },
  errorPage: {
    ...DOCUMENT_RENDERERS,
    errorPage: (...a) => `${DOCUMENT_RENDERERS.errorPage(...a)} `,
  },
  sitemapPage: {
    ...DOCUMENT_RENDERERS,
    sitemapPage: (...a) => changed(DOCUMENT_RENDERERS.sitemapPage(...a)),
  },
  sitemapIndex: {
    ...DOCUMENT_RENDERERS,
    sitemapIndex: (...a) => changed(DOCUMENT_RENDERERS.sitemapIndex(...a)),
  },
  newsSitemap: {
    ...DOCUMENT_RENDERERS,
    newsSitemap: (...a) => changed(DOCUMENT_RENDERERS.newsSitemap(...a)),
  },
  robots: { ...DOCUMENT_RENDERERS, robots: (...a) => changed(DOCUMENT_RENDERERS.robots(...a)) },
};

describe("the render canary", () => {
  it("gives the same hash for the same renderers", () => {
    expect(canaryHash()).toBe(canaryHash(DOCUMENT_RENDERERS));
    expect(canaryHash()).toMatch(/^[0-9a-f]{8}$/);
  });

  it.each(Object.keys(ALTERED) as (keyof Renderers)[])(
    "changes its hash when %s outputs one character more",
    (name) => {
      expect(canaryHash(ALTERED[name])).not.toBe(canaryHash());
    },
  );

  it("changes its hash when a feed changes in one format only, or a page only in its metadata", () => {
    const atomOnly: Renderers = {
      ...DOCUMENT_RENDERERS,
      scopeFeeds: (...a) =>
        DOCUMENT_RENDERERS.scopeFeeds(...a).map((d) =>
          d.path.endsWith("atom.xml") ? changed(d) : d,
        ),
    };
    expect(canaryHash(atomOnly)).not.toBe(canaryHash());
    const otherLanguage: Renderers = {
      ...DOCUMENT_RENDERERS,
      home: (...a) => ({ ...DOCUMENT_RENDERERS.home(...a), language: "en" }),
    };
    expect(canaryHash(otherLanguage)).not.toBe(canaryHash());
  });
});

describe("buildFingerprint", () => {
  it("is stable for the same site and renderers, and uses the committed canary hash", () => {
    expect(buildFingerprint(site)).toBe(buildFingerprint({ ...site }));
    expect(buildFingerprint(site)).toBe(buildFingerprint(site, RENDER_CANARY_HASH));
    expect(buildFingerprint(site)).toMatch(/^[0-9a-f]{8}$/);
  });

  it("changes with the renderers' output", () => {
    const altered = canaryHash(ALTERED.scopeFeeds);
    expect(buildFingerprint(site, altered)).not.toBe(buildFingerprint(site, canaryHash()));
  });

  it("changes with the site configuration", () => {
    const fingerprints = new Set([
      buildFingerprint(site),
      buildFingerprint({ ...site, url: "https://other.example" }),
      buildFingerprint({ ...site, feedSize: 20 }),
      buildFingerprint({ ...site, icon: "https://news.example/icon.png" }),
    ]);
    expect(fingerprints.size).toBe(4);
  });
});
