import type { Env } from "../../src/worker/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends import("../../src/worker/env.ts").Env {}
  }
}

export type { Env };
