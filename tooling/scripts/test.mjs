#!/usr/bin/env node
// `npm test`: lint, typecheck, unit and property tests, the integration suite (PGlite, and
// PostgreSQL too when DATABASE_URL is set), and browser tests when Chromium is installed.
// Lists what was skipped and why, then ends with one line: "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureDependencies, ROOT, run } from "./bootstrap.mjs";
import {
  failureLines,
  missingServiceEnv,
  playwrightCounts,
  playwrightFailures,
  skipLines,
  tapCounts,
  totalsLine,
  vitestCounts,
  vitestFailures,
} from "./test-summary.mjs";

ensureDependencies();
const out = join(ROOT, ".test-output");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const summary = [];
/** Per suite, what it skipped and why (printed above the totals). */
const skips = [];
/** Per suite, which tests failed and their first message line (printed just above the totals). */
const failures = [];

/** A check that is one pass or one fail (lint, typecheck, build). */
function step(name, args) {
  console.log(`\n=== ${name}`);
  const ok = run(args) === 0;
  ok ? passed++ : failed++;
  summary.push(`${ok ? "ok  " : "FAIL"} ${name}`);
  return ok;
}

/**
 * A test runner writing a report; its test counts are added to the totals. `exec` runs it (a
 * pnpm command by default) and returns its exit code; `count` reads the report's text.
 */
function suite(name, args, report, count, exec = run) {
  console.log(`\n=== ${name}`);
  const code = exec(args);
  const counts = existsSync(report)
    ? count(readFileSync(report, "utf8"))
    : { passed: 0, failed: 0, skipped: 0, skips: [] };
  if (counts.failures?.length) failures.push({ suite: name, failures: counts.failures });
  // A runner that crashed before reporting still counts as a failure.
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  skips.push({ suite: name, skips: counts.skips });
  summary.push(
    `${counts.failed ? "FAIL" : "ok  "} ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  );
}

// For a skipped suite whose name gives no reason: the service addresses this run did not have.
const missing = missingServiceEnv();
const otherwise = `its suite gives no reason in its name${missing.length > 0 ? `; this run has no ${missing.join(", ")}` : ""}`;
const vitestReport = (text) => {
  const report = JSON.parse(text);
  return { ...vitestCounts(report, { root: ROOT, otherwise }), failures: vitestFailures(report, ROOT) };
};
const playwrightReport = (text) => {
  const report = JSON.parse(text);
  return { ...playwrightCounts(report), failures: playwrightFailures(report) };
};

step("lint (biome)", ["exec", "biome", "check", "."]);
step("typecheck", ["exec", "turbo", "run", "typecheck", "--output-logs=errors-only"]);
const built = step("build web apps", ["exec", "turbo", "run", "build", "--output-logs=errors-only"]);

// node:test, for the scripts here (no workspace package, no vitest): TAP to a file, spec to us.
const summaryTap = join(out, "scripts.tap");
suite(
  "scripts: npm test's counting (passed, failed, skipped)",
  [
    "--test",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=tap",
    `--test-reporter-destination=${summaryTap}`,
    join(ROOT, "tooling", "scripts", "test-summary.test.mjs"),
  ],
  summaryTap,
  tapCounts,
  (args) => spawnSync(process.execPath, args, { stdio: "inherit", cwd: ROOT }).status ?? 1,
);

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
  vitestReport,
);
suite(
  "api: unit tests (providers, resilience, rate limiters)",
  vitest("@wedsync/api", "api-unit.json"),
  join(out, "api-unit.json"),
  vitestReport,
);
suite(
  "web: component tests (forms, meters, dialogs, API reference; jsdom)",
  vitest("@wedsync/web", "web.json"),
  join(out, "web.json"),
  vitestReport,
);
suite(
  "ui: shared components (dialogs, meters, errors, not found; jsdom)",
  vitest("@wedsync/ui", "ui.json"),
  join(out, "ui.json"),
  vitestReport,
);
suite(
  "admin: component tests (staff gate, organizations, service levels; jsdom)",
  vitest("@wedsync/admin", "admin.json"),
  join(out, "admin.json"),
  vitestReport,
);
suite(
  "bench: report arithmetic (medians over rounds, verdicts)",
  vitest("@wedsync/bench", "bench.json"),
  join(out, "bench.json"),
  vitestReport,
);
suite(
  `cluster: the local cluster helper (its own instances only)${process.env.DATABASE_URL && process.env.REDIS_URL ? "" : ": skipped without DATABASE_URL and REDIS_URL"}`,
  vitest("@wedsync/cluster", "cluster.json"),
  join(out, "cluster.json"),
  vitestReport,
);
suite(
  `api: integration tests (PGlite${process.env.DATABASE_URL ? " + PostgreSQL" : ""})`,
  vitest("@wedsync/api-tests", "api.json"),
  join(out, "api.json"),
  vitestReport,
);

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!built) {
  summary.push("skip browser tests: the web apps did not build");
} else if (existsSync(chromium)) {
  suite(
    "web + admin: browser tests (Playwright, Chromium)",
    ["--filter", "@wedsync/e2e", "exec", "playwright", "test"],
    join(out, "e2e.json"),
    playwrightReport,
  );
} else {
  summary.push(
    `skip browser tests: no Chromium at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`,
  );
}

const skipList = skipLines(skips);
if (skipList.length > 0) console.log(`\nSkipped (${skipped} tests), and why:\n${skipList.join("\n")}`);
const failureList = failureLines(failures);
if (failureList.length > 0) console.log(`\nFailed, and where:\n${failureList.join("\n")}`);
console.log(`\n${summary.join("\n")}\n`);
console.log(totalsLine({ passed, failed, skipped }));
process.exit(failed === 0 ? 0 : 1);
