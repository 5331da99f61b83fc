/**
 * `npm start`: the quick start. Makes a local admin token if there is none, loads
 * `content/` into local KV, then runs `wrangler dev` on http://localhost:8787.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import "./offline-env.ts";

if (!existsSync(".dev.vars") || !/^ADMIN_TOKEN=/m.test(readFileSync(".dev.vars", "utf8"))) {
  const line = `ADMIN_TOKEN=${randomBytes(24).toString("hex")}\n`;
  writeFileSync(
    ".dev.vars",
    existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") + line : line,
    { mode: 0o600 },
  );
  console.log("created .dev.vars with a local ADMIN_TOKEN (git-ignored)");
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  });
}

const loaded = await run(process.execPath, ["tools/load-content.ts"]);
if (loaded !== 0) process.exit(loaded);
process.exit(
  await run("wrangler", ["dev", "--port", process.env.PORT ?? "8787", ...process.argv.slice(2)]),
);
