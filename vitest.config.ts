/**
 * Two kinds of tests: pure core and Node tooling run in Node (fast, with the real npm
 * feed parsers and the JSON Feed schema); the Worker runs in workerd with real local KV
 * and the Publisher Durable Object (@cloudflare/vitest-plugin).
 */
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { fakeHub } from "./tests/support/fake-hub.ts";

process.env.WRANGLER_SEND_METRICS ??= "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";

export const TEST_ADMIN_TOKEN = "test-admin-token";

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
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                ADMIN_TOKEN: TEST_ADMIN_TOKEN,
                WEBSUB_HUBS: "http://hub.test/ http://failing-hub.test/",
                WEBSUB_RETRY_MS: "5",
                // Tests write to KV directly and expect to see it: no isolate memory here
                // (tests/worker/document-memory.test.ts turns it on).
                DOC_MEMORY_TTL_MS: "0",
              },
              // Every outbound fetch (WebSub pings) goes to a local fake, never the internet.
              outboundService: fakeHub,
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["tests/worker/**/*.test.ts"],
        },
      },
    ],
  },
});
