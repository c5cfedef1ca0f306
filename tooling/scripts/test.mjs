#!/usr/bin/env node
// `npm test`: lint, typecheck, unit and property tests, the integration suite (PGlite, and
// PostgreSQL too when DATABASE_URL is set), and browser tests when Chromium is installed.
// Ends with one line: "N passed, N failed".
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureDependencies, ROOT, run } from "./bootstrap.mjs";

ensureDependencies();
const out = join(ROOT, ".test-output");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
const summary = [];

/** A check that is one pass or one fail (lint, typecheck, build). */
function step(name, args) {
  console.log(`\n=== ${name}`);
  const ok = run(args) === 0;
  ok ? passed++ : failed++;
  summary.push(`${ok ? "ok  " : "FAIL"} ${name}`);
  return ok;
}

/** A test runner writing a JSON report; its test counts are added to the totals. */
function suite(name, args, report, count) {
  console.log(`\n=== ${name}`);
  const code = run(args);
  const counts = existsSync(report)
    ? count(JSON.parse(readFileSync(report, "utf8")))
    : { passed: 0, failed: 0 };
  // A runner that crashed before reporting still counts as a failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  summary.push(
    `${counts.failed ? "FAIL" : "ok  "} ${name}: ${counts.passed} passed, ${counts.failed} failed`,
  );
}

const vitestCounts = (r) => ({
  passed: r.numPassedTests ?? 0,
  failed: (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0),
});
const playwrightCounts = (r) => ({
  passed: r.stats?.expected ?? 0,
  failed: (r.stats?.unexpected ?? 0) + (r.stats?.flaky ?? 0),
});

step("lint (biome)", ["exec", "biome", "check", "."]);
step("typecheck", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);
const built = step("build web apps", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);

const vitest = (filter, file) => [
  "--filter",
  filter,
  "exec",
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${join(out, file)}`,
];
suite(
  "core: unit and property tests",
  vitest("@wedsync/core", "core.json"),
  join(out, "core.json"),
  vitestCounts,
);
suite(
  "api: unit tests (providers, resilience, rate limiters)",
  vitest("@wedsync/api", "api-unit.json"),
  join(out, "api-unit.json"),
  vitestCounts,
);
suite(
  "bench: report arithmetic (medians over rounds, verdicts)",
  vitest("@wedsync/bench", "bench.json"),
  join(out, "bench.json"),
  vitestCounts,
);
suite(
  `cluster: the local cluster helper (its own instances only)${process.env.DATABASE_URL && process.env.REDIS_URL ? "" : ": skipped without DATABASE_URL and REDIS_URL"}`,
  vitest("@wedsync/cluster", "cluster.json"),
  join(out, "cluster.json"),
  vitestCounts,
);
suite(
  `api: integration tests (PGlite${process.env.DATABASE_URL ? " + PostgreSQL" : ""})`,
  vitest("@wedsync/api-tests", "api.json"),
  join(out, "api.json"),
  vitestCounts,
);

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!built) {
  summary.push("skip browser tests: the web apps did not build");
} else if (existsSync(chromium)) {
  suite(
    "web + admin: browser tests (Playwright, Chromium)",
    ["--filter", "@wedsync/e2e", "exec", "playwright", "test"],
    join(out, "e2e.json"),
    playwrightCounts,
  );
} else {
  summary.push(
    `skip browser tests: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

console.log(`\n${summary.join("\n")}\n`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
