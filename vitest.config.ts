/**
 * Two kinds of tests: pure core and Node tooling run in Node (fast, with the real npm
 * feed parsers and the JSON Feed schema); the Worker runs in workerd with real local KV
 * and the Publisher Durable Object (@cloudflare/vitest-plugin).
 */
import "./tools/offline-env.ts";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { PARTNER_TEST_TOKEN, TEST_ADMIN_TOKEN } from "./tests/support/admin-token.ts";
import { fakeHub } from "./tests/support/fake-hub.ts";

/** The Worker in workerd, with real local KV and the Publisher, and these extra bindings. */
function workerProject(
  name: string,
  include: string[],
  exclude: string[],
  bindings: Record<string, string>,
) {
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            ADMIN_TOKEN: TEST_ADMIN_TOKEN,
            // Tests write to KV directly and expect to see it: no isolate memory here
            // (tests/worker/document-memory.test.ts turns it on).
            DOC_MEMORY_TTL_MS: "0",
            // Tests publish many times a second; KV's one-write-per-second-per-key pacing
            // is production's (tests/core/publishing/write-pacer.test.ts covers it).
            KV_WRITE_INTERVAL_MS: "0",
            ...bindings,
          },
          // Every outbound fetch (WebSub pings) goes to a local fake, never the internet.
          outboundService: fakeHub,
        },
      }),
    ],
    test: { name, include, exclude },
  };
}

export default defineConfig({
  test: {
    reporters: ["default", "./tests/support/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "node",
          include: [
            "tests/core/**/*.test.ts",
            "tests/tools/**/*.test.ts",
            "tests/e2e/**/*.test.ts",
          ],
          environment: "node",
        },
      },
      workerProject(
        "worker",
        ["tests/worker/**/*.test.ts"],
        ["tests/worker/websub.test.ts", "tests/worker/partners.test.ts"],
        {},
      ),
      // A paywalled newsroom with every partner profile, one of them private.
      workerProject("worker-partners", ["tests/worker/partners.test.ts"], [], {
        PARTNERS: "google-news msn flipboard smartnews apple-news feedly",
        PARTNERS_PRIVATE: "msn",
        PARTNER_LANGUAGE: "ar-PS",
        PARTNER_TOKEN_MSN: PARTNER_TEST_TOKEN,
        PUBLIC_CONTENT: "summary",
      }),
      // Hubs only where they are under test: elsewhere their pings (and a failing hub's
      // retries and log lines) would outlive the test file that caused them.
      workerProject("worker-websub", ["tests/worker/websub.test.ts"], [], {
        WEBSUB_HUBS: "http://hub.test/ http://failing-hub.test/",
        WEBSUB_RETRY_MS: "5",
        // Partner feeds are topics too.
        PARTNERS: "google-news msn",
      }),
    ],
  },
});
