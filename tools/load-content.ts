/**
 * Loads `content/` through the admin API, the same write path as every other publish,
 * so the files and the API can never disagree.
 *
 *   npm run content:load                 # local: starts the Worker in workerd on the
 *                                        # local KV (.wrangler/state), loads, stops
 *   npm run content:load -- --check      # validate only, write nothing
 *   ADMIN_TOKEN=… npm run content:load -- --remote --url https://feeds.example.com
 *
 * Every file is validated first; one error anywhere stops the load before any write.
 */
import "./offline-env.ts";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { type ContentArticle, readContent } from "./content/read-content.ts";
import { startLocalWorker } from "./local-worker.ts";
import { readSiteConfig } from "./wrangler-config.ts";

/** PUTs every article through the admin API of the Worker at `base`. */
async function putAll(articles: ContentArticle[], base: string | URL, token: string) {
  let ok = true;
  for (const { slug, file, article } of articles) {
    const response = await fetch(new URL(`/api/articles/${slug}`, base), {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(article),
    });
    const text = await response.text();
    if (response.ok) {
      const status = response.status === 201 ? "created" : "updated or unchanged";
      console.log(`  ${slug}: ${status}`);
    } else {
      ok = false;
      console.error(`  ${file}: HTTP ${response.status} ${text}`);
    }
  }
  return ok;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      url: { type: "string" },
      content: { type: "string", default: "content" },
      config: { type: "string", default: "wrangler.toml" },
      persist: { type: "string", default: ".wrangler/state" },
    },
  });
  const site = readSiteConfig(values.config);
  const { articles, errors } = await readContent(values.content as string, site);
  if (errors.length > 0) {
    console.error(`content/ has ${errors.length} error(s); nothing was written:`);
    for (const e of errors) console.error(`  ${e.file}: ${e.field} ${e.message}`);
    return 1;
  }
  console.log(`content/: ${articles.length} article(s) valid`);
  if (values.check) return 0;

  if (values.remote) {
    const base = values.url ?? process.env.PUBLISHER_URL;
    const token = process.env.ADMIN_TOKEN;
    if (!base || !token) {
      console.error(
        "--remote needs --url https://your-worker (or PUBLISHER_URL) and ADMIN_TOKEN in the environment",
      );
      return 2;
    }
    return (await putAll(articles, base, token)) ? 0 : 1;
  }

  // Local: the real Worker in workerd, on the same KV/Durable Object state `wrangler dev` uses.
  const token = randomBytes(24).toString("hex");
  const worker = await startLocalWorker({
    config: values.config,
    persist: values.persist,
    secrets: { ADMIN_TOKEN: token },
  });
  try {
    const ok = await putAll(articles, worker.url, token);
    if (ok) console.log(`loaded into local KV (${values.persist})`);
    return ok ? 0 : 1;
  } finally {
    await worker.stop();
  }
}

process.exitCode = await main();
