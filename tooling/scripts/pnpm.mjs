#!/usr/bin/env node
// Runs pnpm through corepack so a machine with only Node.js 20 needs nothing installed by hand.
// COREPACK_INTEGRITY_KEYS=0: these machines' registry serves metadata without signatures.
// A pnpm shim is put on PATH too, because turbo looks for the package manager's binary.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHIMS = join(ROOT, ".corepack", "bin");
const ENV = {
  COREPACK_INTEGRITY_KEYS: "0",
  COREPACK_ENABLE_DOWNLOAD_PROMPT: "0",
  TURBO_TELEMETRY_DISABLED: "1",
};

function ensureShims() {
  if (existsSync(join(SHIMS, "pnpm"))) return;
  mkdirSync(SHIMS, { recursive: true });
  spawnSync("corepack", ["enable", "pnpm", "--install-directory", SHIMS], {
    stdio: "inherit",
    env: { ...process.env, ...ENV },
  });
}

export function pnpm(args, opts = {}) {
  ensureShims();
  const r = spawnSync("corepack", ["pnpm", ...args], {
    stdio: "inherit",
    env: { ...process.env, ...ENV, PATH: `${SHIMS}:${process.env.PATH}`, ...opts.env },
    cwd: opts.cwd ?? ROOT,
  });
  return r.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(pnpm(process.argv.slice(2), { cwd: process.cwd() }));
}
