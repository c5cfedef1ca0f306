#!/usr/bin/env node
// `npm start`: install if needed, build the two web apps (turbo caches this), then serve
// the API and both apps on one port with PGlite in DATA_DIR (default ./.data).
import { resolve } from "node:path";
import { ensureDependencies, ROOT, run } from "./bootstrap.mjs";

ensureDependencies();
const built = run([
  "exec",
  "turbo",
  "run",
  "build",
  "--filter=@wedsync/web",
  "--filter=@wedsync/admin",
  "--output-logs=errors-only",
]);
if (built !== 0) process.exit(built);

// The server runs from packages/api; keep DATA_DIR relative to where `npm start` was run.
const dataDir = resolve(process.cwd(), process.env.DATA_DIR ?? ".data");
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});
process.exit(run(["--filter", "@wedsync/api", "exec", "tsx", "src/main.ts"], { DATA_DIR: dataDir, ROOT }));
