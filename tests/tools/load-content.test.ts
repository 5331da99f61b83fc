/**
 * The content loader refuses bad files with the file and the field, and writes nothing:
 * the check runs over every file before the Worker is even started.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { parseSiteConfig } from "../../src/core/site.ts";
import { parseContentFile, readContent } from "../../tools/content/read-content.ts";

const run = promisify(execFile);
const site = parseSiteConfig({
  SITE_URL: "https://news.example",
  SITE_TITLE: "t",
  SITE_DESCRIPTION: "d",
  SITE_LANGUAGE: "ar",
});

const GOOD = `---
title: عنوان
summary: ملخص
language: ar
authors:
  - name: كاتب
    slug: writer
published: 2020-01-07T09:00:00+02:00
---
نص.
`;

describe("parseContentFile", () => {
  it("accepts the repository's content", async () => {
    const { articles, errors } = await readContent("content", site);
    expect(errors).toEqual([]);
    expect(articles.map((a) => a.slug)).toContain("esper-denies-iraq-withdrawal-letter");
  });

  it("names the file and the field of each error", () => {
    const bad = GOOD.replace(
      "published: 2020-01-07T09:00:00+02:00",
      "published: 2020-01-07T09:00:00",
    ).replace("language: ar", "language: arabic!");
    const result = parseContentFile("content/articles/x.md", bad, site);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      expect.objectContaining({ file: "content/articles/x.md", field: "language" }),
      expect.objectContaining({ file: "content/articles/x.md", field: "published" }),
    ]);
    expect(result.errors[1]?.message).toMatch(/zone/);
  });

  it("refuses a file name that is not a slug, missing front matter, and unsafe HTML", () => {
    const badName = parseContentFile("content/articles/Bad Name.md", GOOD, site);
    expect(badName.ok ? [] : badName.errors.map((e) => e.field)).toEqual(["slug"]);
    const noFront = parseContentFile("content/articles/x.md", "just text", site);
    expect(noFront.ok ? [] : noFront.errors.map((e) => e.field)).toEqual(["(file)"]);
    const script = parseContentFile(
      "content/articles/x.md",
      `${GOOD}<script>alert(1)</script>\n`,
      site,
    );
    expect(script.ok ? [] : script.errors).toEqual([
      { file: "content/articles/x.md", field: "body", message: "<script> is not allowed" },
    ]);
  });
});

describe("npm run content:load", { timeout: 30_000 }, () => {
  it("stops on the first bad file before writing anything", async () => {
    const dir = await mkdtemp(join(tmpdir(), "content-"));
    await cp("content", dir, { recursive: true });
    await writeFile(join(dir, "articles", "broken.md"), GOOD.replace("title: عنوان\n", ""));
    const persist = join(dir, "state");
    const failure = await run(process.execPath, [
      "tools/load-content.ts",
      "--content",
      dir,
      "--persist",
      persist,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failure && failure.code).toBe(1);
    expect((failure as { stderr: string }).stderr).toMatch(/broken\.md: title is required/);
    expect(existsSync(persist)).toBe(false);
  });

  it("--check validates without writing", async () => {
    const { stdout } = await run(process.execPath, ["tools/load-content.ts", "--check"]);
    expect(stdout).toMatch(/1 article\(s\) valid/);
  });
});

// Spawns Node with wrangler's config reader: seconds on a busy machine.
describe("a wrong setting", { timeout: 30_000 }, () => {
  it("is one line naming the variable, the value and what is accepted, with no stack trace", async () => {
    const dir = await mkdtemp(join(tmpdir(), "config-"));
    const config = join(dir, "wrangler.toml");
    const original = await readFile("wrangler.toml", "utf8");
    await writeFile(config, original.replace('SITE_LANGUAGE = "ar"', 'SITE_LANGUAGE = "ara"'));
    const failure = await run(process.execPath, [
      "tools/load-content.ts",
      "--config",
      config,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failure && failure.code).toBe(2);
    const stderr = (failure as { stderr: string }).stderr.trim();
    expect(stderr).toBe(`${config}: SITE_LANGUAGE is "ara": "ara" is an alias: use "ar"`);
  });
});

describe("content file mistakes", () => {
  it("reports every unknown field, with the usual name from other systems", () => {
    const text = GOOD.replace(
      "title: عنوان\n",
      "title: عنوان\ndate: 2020-01-07\ndescription: x\ntags: [a]\nfoo: 1\n",
    );
    const result = parseContentFile("content/articles/x.md", text, site);
    expect(result.ok ? [] : result.errors.map((e) => [e.field, e.message])).toEqual([
      ["date", "is not a field of an article; did you mean published?"],
      ["description", "is not a field of an article; did you mean summary?"],
      ["tags", "is not a field of an article; did you mean categories?"],
      ["foo", "is not a field of an article"],
    ]);
  });

  it("refuses updated: (the publisher dates edits), saying why", () => {
    const result = parseContentFile(
      "content/articles/x.md",
      GOOD.replace("title: عنوان\n", "title: عنوان\nupdated: 2021-01-01T00:00:00Z\n"),
      site,
    );
    expect(result.ok ? [] : result.errors).toEqual([
      expect.objectContaining({
        field: "updated",
        message: expect.stringMatching(/set by the publisher/),
      }),
    ]);
  });

  it("says to rename a file whose name is not a slug", () => {
    const result = parseContentFile("content/articles/Bad Name.md", GOOD, site);
    expect(result.ok ? "" : result.errors[0]?.message).toMatch(/rename the file/);
  });

  it("reads .markdown files and names every other file it skips", async () => {
    const dir = await mkdtemp(join(tmpdir(), "content-"));
    await mkdir(join(dir, "articles"));
    await writeFile(join(dir, "articles", "long-name.markdown"), GOOD);
    await writeFile(join(dir, "articles", "notes.txt"), "x");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { articles, errors } = await readContent(dir, site);
    expect(errors).toEqual([]);
    expect(articles.map((a) => a.slug)).toEqual(["long-name"]);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/skipping .*notes\.txt: articles are <slug>\.md or <slug>\.markdown/),
    ]);
    warn.mockRestore();
  });
});
