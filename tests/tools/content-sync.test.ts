/**
 * content/ as a sync, against the real Worker in workerd: only what changed is sent,
 * totals are exact, --prune deletes only with --yes, the first refusal stops the sync
 * with one message naming the file, and a running Worker is used rather than a second one.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSiteConfig } from "../../src/core/site.ts";
import { localTarget } from "../../tools/content/local-target.ts";
import { scanContent } from "../../tools/content/scan.ts";
import { applySync, planSync, SyncError } from "../../tools/content/sync.ts";
import { type LocalWorker, startLocalWorker } from "../../tools/local-worker.ts";

const run = promisify(execFile);
const TOKEN = "sync-test-token";
const site = parseSiteConfig({
  SITE_URL: "http://localhost:8787",
  SITE_TITLE: "t",
  SITE_DESCRIPTION: "d",
  SITE_LANGUAGE: "ar",
});
const file = (title: string, body = "نص.") => `---
title: ${title}
summary: ملخص
language: ar
authors:
  - name: كاتب
    slug: writer
published: 2020-01-07T09:00:00+02:00
---
${body}
`;

let dir: string;
let worker: LocalWorker;
let target: { base: URL; token: string };

async function writeArticle(slug: string, text: string) {
  await writeFile(join(dir, "content", "articles", `${slug}.md`), text);
}
const sync = async (prune = false) => {
  const { files, errors } = await scanContent(join(dir, "content"), site, join(dir, "cache.json"));
  expect(errors).toEqual([]);
  return applySync(await planSync(files, target), site, target, { prune });
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sync-"));
  await mkdir(join(dir, "content", "articles"), { recursive: true });
  worker = await startLocalWorker({ persist: join(dir, "state"), secrets: { ADMIN_TOKEN: TOKEN } });
  target = { base: worker.url, token: TOKEN };
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("syncing content/", { timeout: 60_000 }, () => {
  it("sends only what changed, and counts exactly", async () => {
    for (const slug of ["one", "two", "three"]) await writeArticle(slug, file(`عنوان ${slug}`));
    expect(await sync()).toMatchObject({ created: 3, updated: 0, unchanged: 0, retracted: 0 });
    expect(await sync()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    await writeArticle("two", file("عنوان معدل"));
    expect(await sync()).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const page = await fetch(new URL("/articles/two", worker.url));
    expect(await page.text()).toContain("عنوان معدل");
  });

  it("lists articles no file names, and deletes them only when asked", async () => {
    await rm(join(dir, "content", "articles", "three.md"));
    const kept = await sync();
    expect(kept).toMatchObject({ retracted: 0, orphans: ["three"] });
    expect((await fetch(new URL("/articles/three", worker.url))).status).toBe(200);
    expect(await sync(true)).toMatchObject({ retracted: 1 });
    expect((await fetch(new URL("/articles/three", worker.url))).status).toBe(410);
  });

  it("stops at a wrong token with one message, before sending anything", async () => {
    const { files } = await scanContent(join(dir, "content"), site, join(dir, "cache.json"));
    const wrong = { base: worker.url, token: "wrong" };
    await expect(planSync(files, wrong)).rejects.toThrow(SyncError);
    await expect(planSync(files, wrong)).rejects.toThrow(/refused the admin token \(HTTP 401\)/);
  });

  it("a file the Worker refuses stops the sync, naming the file and the field", async () => {
    await writeArticle("too-big", file("كبير", '"'.repeat(200_000)));
    const error = await sync().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as Error).message).toMatch(/too-big\.md: body renders to \d+ bytes/);
    await rm(join(dir, "content", "articles", "too-big.md"));
  });

  it("publishes through the Worker already serving, not a second one", async () => {
    // The token comes from the environment here (npm start writes it to .dev.vars).
    process.env.ADMIN_TOKEN = TOKEN;
    try {
      const serving = await localTarget({
        port: Number(worker.url.port),
        config: "wrangler.toml",
        persist: join(dir, "other-state"),
      });
      expect(serving.description).toBe(`the Worker serving http://127.0.0.1:${worker.url.port}`);
      await serving.stop();
    } finally {
      delete process.env.ADMIN_TOKEN;
    }
  });

  it("the CLI lists what --prune would delete and changes nothing without --yes", async () => {
    await writeArticle("orphan-to-be", file("يتيم"));
    expect(await sync()).toMatchObject({ created: 1 });
    await rm(join(dir, "content", "articles", "orphan-to-be.md"));
    const failure = await run(
      process.execPath,
      [
        "tools/load-content.ts",
        "--content",
        join(dir, "content"),
        "--port",
        worker.url.port,
        "--prune",
      ],
      { env: { ...process.env, ADMIN_TOKEN: TOKEN } },
    ).catch((e: { code: number; stderr: string }) => e);
    expect("code" in failure && failure.code).toBe(1);
    expect((failure as { stderr: string }).stderr).toMatch(
      /have no file in content\/: orphan-to-be/,
    );
    expect((failure as { stderr: string }).stderr).toMatch(/Nothing was changed/);
    expect((await fetch(new URL("/articles/orphan-to-be", worker.url))).status).toBe(200);
  });
});
