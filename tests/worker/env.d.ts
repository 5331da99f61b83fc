/** Types for `cloudflare:workers` in tests: our bindings and our main module's exports. */
import type { Env as WorkerEnv } from "../../src/worker/env.ts";

declare global {
  namespace Cloudflare {
    interface GlobalProps {
      mainModule: typeof import("../../src/worker/index.ts");
      durableNamespaces: "Publisher";
    }
    interface Env extends WorkerEnv {}
  }
}
