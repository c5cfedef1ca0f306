import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

// End-to-end tests of the built product: the API server serving apps/web/dist at "/" and
// apps/admin/dist at "/admin/". This config does not build the apps: build them first
// (`pnpm build`, i.e. turbo run build; the root test script does it before running these).

// E2E_PORT, E2E_DATA_DIR, WEB_DIST and ADMIN_DIST let two runs share a machine (each its own server and builds).
const PORT = Number(process.env.E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${PORT}`;
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
/** A throwaway database, removed before every run, so the demo seed starts from scratch. */
const dataDir = process.env.E2E_DATA_DIR ?? join(tmpdir(), "wedsync-e2e-data");
const webDist = process.env.WEB_DIST ?? join(repoRoot, "apps", "web", "dist");
const adminDist = process.env.ADMIN_DIST ?? join(repoRoot, "apps", "admin", "dist");

for (const dist of [webDist, adminDist]) {
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(`${dist} is missing: build the apps first (pnpm build from the repository root)`);
  }
}

export default defineConfig({
  testDir: "tests",
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: join(repoRoot, ".test-output", "e2e.json") }]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium (apt-get install chromium); never `playwright install`.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // Its own PGlite database in dataDir: drop DATABASE_URL and REDIS_URL, which CI sets for the
    // integration tests, so this server never shares their PostgreSQL database or Redis.
    command: `rm -rf '${dataDir}' && unset DATABASE_URL REDIS_URL && exec node --import tsx src/main.ts`,
    cwd: join(repoRoot, "packages", "api"),
    env: {
      DATA_DIR: dataDir,
      WEB_DIST: webDist,
      ADMIN_DIST: adminDist,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      SEED_DEMO: "true",
      // Every test signs in, several as the same person: keep the login rate limit out of the way.
      LOGIN_LIMIT_PER_EMAIL: "1000",
      LOGIN_LIMIT_PER_IP: "1000",
    },
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 90_000,
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
