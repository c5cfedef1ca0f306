// Shared by `npm start` and `npm test`: make sure dependencies are installed (through corepack
// pnpm, so a machine with only Node.js 20 needs nothing else) and run workspace commands.
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pnpm } from "./pnpm.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Install when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = join(ROOT, "node_modules", ".modules.yaml");
  const lock = join(ROOT, "pnpm-lock.yaml");
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log("Installing dependencies (corepack pnpm install)...");
  const code = pnpm(["install", "--frozen-lockfile"], { cwd: ROOT });
  if (code !== 0) process.exit(code);
}

/** Runs `pnpm <args>` in the repo root; returns the exit code. */
export function run(args, env = {}) {
  return pnpm(args, { cwd: ROOT, env });
}
