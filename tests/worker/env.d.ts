/** Types for `cloudflare:workers` in tests: our bindings and our main module's exports. */
declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("../../src/worker/index.ts");
      durableNamespaces: "Publisher";
    }
    interface Env extends import("../../src/worker/env.ts").Env {}
  }
}

export {};
