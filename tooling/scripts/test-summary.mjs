// What `npm test` (test.mjs) counts: passed, failed and skipped tests from each runner's report,
// and what was skipped and why. Pure functions over the reports, tested in test-summary.test.mjs.
import { relative } from "node:path";

/**
 * @typedef {{ where: string, tests: number, reason: string }} Skip
 *   `tests` skipped at `where` (a file and its top-level suite), and why.
 * @typedef {{ passed: number, failed: number, skipped: number, skips: Skip[] }} Counts
 */

/** The environment that decides which suites run; named in a skip whose suite states no reason. */
export const SERVICE_ENV = ["DATABASE_URL", "REDIS_URL", "RESTART_DATABASE_URL", "RESTART_PG_CLUSTER"];

/**
 * The reason a suite's own name gives: "… (skipped: REDIS_URL is not set)" or "… — skipped: …".
 * Returns the name without it, and the reason (null when the name gives none).
 */
export function reasonInName(name) {
  const m = /\s*(\(|[—–-])?\s*\bskipped:\s*(.+)$/i.exec(name);
  if (!m) return { name, reason: null };
  let reason = m[2].trim();
  // "… (skipped: a (b))": the last ")" closes the "(" before "skipped".
  if (m[1] === "(" && reason.endsWith(")")) reason = reason.slice(0, -1).trim();
  return { name: name.slice(0, m.index).trim() || name, reason };
}

const SKIPPED = new Set(["skipped", "pending", "todo", "disabled"]);
const RAN = new Set(["passed", "failed"]);

/**
 * Counts of a vitest JSON report (`--reporter=json`), and its skipped tests grouped by file and
 * top-level suite. A test skipped in one project of the run and run in another (the integration
 * suite runs once per database) says so; one whose suite gives no reason in its name gets the
 * `otherwise` text (say, which services this run had no address for).
 * @param {any} report
 * @param {{ root?: string, otherwise?: string }} [opts]
 * @returns {Counts}
 */
export function vitestCounts(report, opts = {}) {
  const root = opts.root ?? process.cwd();
  const files = report.testResults ?? [];
  /** Per file: the full names of tests that ran in some project. */
  const ran = new Map();
  for (const f of files) {
    const names = ran.get(f.name) ?? new Set();
    for (const t of f.assertionResults ?? []) if (RAN.has(t.status)) names.add(t.fullName);
    ran.set(f.name, names);
  }
  const groups = new Map();
  for (const f of files) {
    for (const t of f.assertionResults ?? []) {
      if (!SKIPPED.has(t.status)) continue;
      const suite = t.ancestorTitles?.[0] ?? t.title;
      const { name } = reasonInName(suite);
      // The reason may be in the top-level suite's name, a nested one's or the test's own.
      const reason =
        [...(t.ancestorTitles ?? []), t.title].map((n) => reasonInName(n).reason).find(Boolean) ?? null;
      const key = `${f.name}\0${suite}`;
      const group = groups.get(key) ?? {
        where: `${relative(root, f.name)} › ${name}`,
        tests: 0,
        elsewhere: 0,
        reason,
        todo: 0,
      };
      group.tests++;
      if (t.status === "todo") group.todo++;
      if (ran.get(f.name)?.has(t.fullName)) group.elsewhere++;
      groups.set(key, group);
    }
  }
  const skips = [...groups.values()].map((g) => ({
    where: g.where,
    tests: g.tests,
    reason:
      g.reason ??
      (g.todo === g.tests
        ? "marked todo"
        : g.elsewhere === g.tests
          ? "ran in the run's other project (the other database); skipped in this one"
          : (opts.otherwise ?? "its suite gives no reason in its name")),
  }));
  const skippedFromTests = skips.reduce((n, s) => n + s.tests, 0);
  return {
    passed: report.numPassedTests ?? 0,
    // A failed test fails its describe blocks and its file too: vitest counts each of those as a
    // failed suite. Only a file that failed outside any test (an import, a beforeAll) adds one.
    failed:
      files.length > 0
        ? (report.numFailedTests ?? 0) +
          files.filter(
            (f) => f.status === "failed" && !(f.assertionResults ?? []).some((t) => t.status === "failed"),
          ).length
        : (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0),
    skipped: files.length > 0 ? skippedFromTests : (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    skips,
  };
}

/**
 * Counts of a Playwright JSON report, and its skipped tests with the reason given to
 * test.skip(condition, reason) (its "skip" annotation).
 * @param {any} report
 * @returns {Counts}
 */
export function playwrightCounts(report) {
  const groups = new Map();
  const visit = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== "skipped") continue;
        const note = (test.annotations ?? []).find((a) => a.type === "skip" || a.type === "fixme");
        const where = `${spec.file ?? suite.file ?? ""} › ${[...titles, spec.title].filter(Boolean)[0] ?? ""}`;
        const reason = note?.description || "skipped without a reason";
        const key = `${where}\0${reason}`;
        const group = groups.get(key) ?? { where, tests: 0, reason };
        group.tests++;
        groups.set(key, group);
      }
    }
    for (const child of suite.suites ?? []) visit(child, [...titles, child.title]);
  };
  // Top-level suites are files: their titles are the file names.
  for (const file of report.suites ?? []) visit(file, []);
  return {
    passed: report.stats?.expected ?? 0,
    failed: (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0),
    skipped: report.stats?.skipped ?? 0,
    skips: [...groups.values()],
  };
}

/**
 * Counts of `node --test --test-reporter=tap` output: its closing "# pass N" lines, and the tests
 * marked "# SKIP reason" or "# TODO".
 * @param {string} tap
 * @returns {Counts}
 */
export function tapCounts(tap) {
  const total = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  const skips = [];
  for (const line of tap.split("\n")) {
    const m = /^\s*ok \d+ - (.*?) # (SKIP|TODO)\b\s*(.*)$/i.exec(line);
    if (m)
      skips.push({
        where: m[1],
        tests: 1,
        reason: m[3] || (m[2].toUpperCase() === "TODO" ? "marked todo" : "skipped without a reason"),
      });
  }
  return {
    passed: total("pass"),
    failed: total("fail") + total("cancelled"),
    skipped: total("skipped") + total("todo"),
    skips,
  };
}

/** The environment variables of SERVICE_ENV this run does not have. */
export function missingServiceEnv(env = process.env) {
  return SERVICE_ENV.filter((name) => !env[name]);
}

/**
 * The lines printed above the totals: each suite's skipped tests and why.
 * @param {Array<{ suite: string, skips: Skip[] }>} bySuite
 */
export function skipLines(bySuite) {
  const lines = [];
  for (const { suite, skips } of bySuite) {
    for (const s of skips) {
      lines.push(`skip ${String(s.tests).padStart(3)} in ${suite}: ${s.where}`);
      lines.push(`         why: ${s.reason}`);
    }
  }
  return lines;
}

/** A failure message's first meaningful line, without terminal colours, short enough for a summary. */
function firstLine(message) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what is removed
  const plain = String(message ?? "").replace(/\u001b\[[0-9;]*m/g, "");
  const line =
    plain
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? "no message";
  return line.length > 240 ? `${line.slice(0, 239)}…` : line;
}

/**
 * Each failed test of a vitest JSON report (or the file, when it failed before any test ran),
 * with its message's first line: what the summary at the end of `npm test` names.
 * @returns {Array<{ where: string, message: string }>}
 */
export function vitestFailures(report, root = process.cwd()) {
  const out = [];
  for (const f of report.testResults ?? []) {
    const failedTests = (f.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of failedTests) {
      out.push({
        where: `${relative(root, f.name)} › ${t.fullName}`,
        message: firstLine(t.failureMessages?.[0]),
      });
    }
    if (failedTests.length === 0 && f.status === "failed") {
      out.push({ where: relative(root, f.name), message: firstLine(f.message) });
    }
  }
  return out;
}

/**
 * Each failed (or flaky: failed, then passed on a retry) test of a Playwright JSON report, with its
 * last error's first line.
 * @returns {Array<{ where: string, message: string }>}
 */
export function playwrightFailures(report) {
  const out = [];
  const visit = (suite, titles) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== "unexpected" && test.status !== "flaky") continue;
        const error = [...(test.results ?? [])].reverse().find((r) => r.error)?.error;
        const where = [spec.file ?? suite.file ?? "", ...titles, spec.title].filter(Boolean).join(" › ");
        const message = firstLine(error?.message);
        out.push({
          where,
          message: test.status === "flaky" ? `${message} (passed on a retry: flaky)` : message,
        });
      }
    }
    for (const child of suite.suites ?? []) visit(child, [...titles, child.title]);
  };
  for (const file of report.suites ?? []) visit(file, []);
  return out;
}

/**
 * The lines printed just above the totals, so the end of the output names what failed.
 * @param {Array<{ suite: string, failures: Array<{ where: string, message: string }> }>} bySuite
 */
export function failureLines(bySuite) {
  const lines = [];
  for (const { suite, failures } of bySuite) {
    for (const f of failures) {
      lines.push(`FAIL in ${suite}: ${f.where}`);
      lines.push(`         why: ${f.message}`);
    }
  }
  return lines;
}

/** The last line of `npm test`; CI greps it for the totals. */
export function totalsLine({ passed, failed, skipped }) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
