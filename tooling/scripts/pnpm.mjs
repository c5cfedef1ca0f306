#!/usr/bin/env node
// Runs pnpm through corepack so a machine with only Node.js 20 needs nothing installed by hand.
// COREPACK_INTEGRITY_KEYS=0: these machines' registry serves metadata without signatures.
import { spawnSync } from "node:child_process";

export function pnpm(args, opts = {}) {
  const r = spawnSync("corepack", ["pnpm", ...args], {
    stdio: "inherit",
    env: { ...process.env, COREPACK_INTEGRITY_KEYS: "0", COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", ...opts.env },
    cwd: opts.cwd,
  });
  return r.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(pnpm(process.argv.slice(2)));
}
