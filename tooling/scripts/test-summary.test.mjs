// `node --test tooling/scripts/`: the counting behind `npm test`'s last line (test-summary.mjs).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  failureLines,
  missingServiceEnv,
  playwrightCounts,
  playwrightFailures,
  reasonInName,
  skipLines,
  tapCounts,
  totalsLine,
  vitestCounts,
  vitestFailures,
} from "./test-summary.mjs";

const test = (fullName, status, ancestorTitles = [fullName.split(" ")[0]]) => ({
  ancestorTitles,
  fullName,
  status,
  title: fullName.slice(ancestorTitles.join(" ").length + 1),
});

describe("reasonInName", () => {
  it("finds the reason a suite's name gives, in parentheses or after a dash", () => {
    assert.deepEqual(
      reasonInName(
        "startCluster: an instance is up (skipped: DATABASE_URL is not set (the instances need a PostgreSQL server))",
      ),
      {
        name: "startCluster: an instance is up",
        reason: "DATABASE_URL is not set (the instances need a PostgreSQL server)",
      },
    );
    assert.deepEqual(reasonInName("UpstashRateLimiter — skipped: REDIS_URL is not set"), {
      name: "UpstashRateLimiter",
      reason: "REDIS_URL is not set",
    });
    assert.deepEqual(reasonInName("two instances on one PostgreSQL"), {
      name: "two instances on one PostgreSQL",
      reason: null,
    });
  });
});

describe("vitestCounts", () => {
  const root = "/repo";
  // The integration suite's shape: the same file in two projects (PGlite, then PostgreSQL).
  const report = {
    numPassedTests: 5,
    numFailedTests: 1,
    numFailedTestSuites: 0,
    numPendingTests: 5,
    numTodoTests: 1,
    testResults: [
      {
        name: "/repo/tests/api/src/alerts.test.ts",
        assertionResults: [
          test("cost fires once", "passed", ["cost"]),
          test("two instances evaluate", "skipped", ["two"]),
          test("two instances deliver once", "skipped", ["two"]),
        ],
      },
      {
        name: "/repo/tests/api/src/alerts.test.ts",
        assertionResults: [
          test("cost fires once", "passed", ["cost"]),
          test("two instances evaluate", "passed", ["two"]),
          test("two instances deliver once", "failed", ["two"]),
        ],
      },
      {
        name: "/repo/tests/api/src/crash.test.ts",
        assertionResults: [test("kill -9 under load", "skipped", ["kill"])],
      },
      {
        name: "/repo/tooling/cluster/src/index.test.ts",
        assertionResults: [
          test("startCluster (skipped: DATABASE_URL is not set) rejects a stranger", "skipped", [
            "startCluster (skipped: DATABASE_URL is not set)",
          ]),
          test("startCluster (skipped: DATABASE_URL is not set) moves on", "skipped", [
            "startCluster (skipped: DATABASE_URL is not set)",
          ]),
        ],
      },
      {
        name: "/repo/packages/core/src/later.test.ts",
        assertionResults: [test("later idea", "todo", ["later"])],
      },
      {
        name: "/repo/packages/core/src/ok.test.ts",
        assertionResults: [test("fine", "passed", ["ok"]), test("fine too", "passed", ["ok"])],
      },
    ],
  };

  it("counts passed, failed (tests and suites) and skipped (todo included)", () => {
    const c = vitestCounts({ ...report, numFailedTestSuites: 1 }, { root });
    assert.equal(c.passed, 5);
    assert.equal(c.failed, 1);
    assert.equal(c.skipped, 6);
  });

  it("a failed test counts once, not again for its describe block and its file; a file failing outside its tests counts one", () => {
    // As vitest reports one failed property inside describe("properties") in one file: 2 failed suites.
    const one = {
      numPassedTests: 1,
      numFailedTests: 1,
      numFailedTestSuites: 2,
      testResults: [
        {
          name: "/repo/packages/core/src/domain/provider-queue.test.ts",
          status: "failed",
          assertionResults: [
            test("properties ok", "passed", ["properties"]),
            test("properties no starvation", "failed", ["properties"]),
          ],
        },
        {
          name: "/repo/tests/api/src/mcp.test.ts",
          status: "failed",
          message: "Error: cannot start",
          assertionResults: [],
        },
      ],
    };
    assert.equal(vitestCounts(one, { root }).failed, 2);
  });

  it("groups skipped tests by file and suite, with the reason: its name's, another project's, or none given", () => {
    const { skips } = vitestCounts(report, { root, otherwise: "no reason given; this run has no REDIS_URL" });
    assert.deepEqual(skips, [
      {
        where: "tests/api/src/alerts.test.ts › two",
        tests: 2,
        reason: "ran in the run's other project (the other database); skipped in this one",
      },
      {
        where: "tests/api/src/crash.test.ts › kill",
        tests: 1,
        reason: "no reason given; this run has no REDIS_URL",
      },
      {
        where: "tooling/cluster/src/index.test.ts › startCluster",
        tests: 2,
        reason: "DATABASE_URL is not set",
      },
      { where: "packages/core/src/later.test.ts › later", tests: 1, reason: "marked todo" },
    ]);
  });

  it("without per-test results, the report's own pending and todo counts", () => {
    const c = vitestCounts({ numPassedTests: 2, numPendingTests: 3, numTodoTests: 1 });
    assert.deepEqual(c, { passed: 2, failed: 0, skipped: 4, skips: [] });
  });
});

describe("playwrightCounts", () => {
  it("counts from stats and lists skipped tests with test.skip's reason", () => {
    const report = {
      stats: { expected: 7, unexpected: 1, flaky: 1, skipped: 2 },
      suites: [
        {
          title: "admin.spec.ts",
          file: "admin.spec.ts",
          specs: [
            {
              title: "staff toggles a feature",
              file: "admin.spec.ts",
              tests: [
                { status: "skipped", annotations: [{ type: "skip", description: "needs two instances" }] },
              ],
            },
          ],
          suites: [
            {
              title: "billing",
              file: "admin.spec.ts",
              specs: [
                {
                  title: "exports CSV",
                  file: "admin.spec.ts",
                  tests: [{ status: "skipped", annotations: [] }],
                },
                {
                  title: "exports JSON",
                  file: "admin.spec.ts",
                  tests: [{ status: "expected", annotations: [] }],
                },
              ],
            },
          ],
        },
      ],
    };
    assert.deepEqual(playwrightCounts(report), {
      passed: 7,
      failed: 2,
      skipped: 2,
      skips: [
        { where: "admin.spec.ts › staff toggles a feature", tests: 1, reason: "needs two instances" },
        { where: "admin.spec.ts › billing", tests: 1, reason: "skipped without a reason" },
      ],
    });
  });
});

describe("failures", () => {
  it("names each failed vitest test with its message's first line, and a file that failed before its tests", () => {
    const report = {
      testResults: [
        {
          name: "/repo/tests/api/src/static-apps.test.ts",
          status: "failed",
          assertionResults: [
            test("served fine", "passed", ["served"]),
            {
              ...test("served first paint", "failed", ["served"]),
              failureMessages: [
                "\u001b[31mAssertionError: expected undefined to be 'x'\u001b[39m\n    at static-apps.test.ts:144",
              ],
            },
          ],
        },
        {
          name: "/repo/tests/api/src/mcp.test.ts",
          status: "failed",
          message: "\nError: the server did not start",
          assertionResults: [],
        },
        {
          name: "/repo/packages/core/src/ok.test.ts",
          status: "passed",
          assertionResults: [test("fine", "passed")],
        },
      ],
    };
    assert.deepEqual(vitestFailures(report, "/repo"), [
      {
        where: "tests/api/src/static-apps.test.ts › served first paint",
        message: "AssertionError: expected undefined to be 'x'",
      },
      { where: "tests/api/src/mcp.test.ts", message: "Error: the server did not start" },
    ]);
  });

  it("names failed and flaky Playwright tests with their last error", () => {
    const report = {
      suites: [
        {
          title: "config.spec.ts",
          file: "config.spec.ts",
          specs: [],
          suites: [
            {
              title: "configuration",
              file: "config.spec.ts",
              specs: [
                {
                  title: "saves a cap",
                  file: "config.spec.ts",
                  tests: [
                    {
                      status: "unexpected",
                      results: [{ error: { message: "Timed out 10000ms\nCall log:" } }],
                    },
                  ],
                },
                {
                  title: "toggles",
                  file: "config.spec.ts",
                  tests: [
                    { status: "flaky", results: [{ error: { message: "detached" } }, { status: "passed" }] },
                  ],
                },
                { title: "fine", file: "config.spec.ts", tests: [{ status: "expected", results: [] }] },
              ],
            },
          ],
        },
      ],
    };
    const failures = playwrightFailures(report);
    assert.deepEqual(failures, [
      { where: "config.spec.ts › configuration › saves a cap", message: "Timed out 10000ms" },
      { where: "config.spec.ts › configuration › toggles", message: "detached (passed on a retry: flaky)" },
    ]);
    assert.deepEqual(failureLines([{ suite: "browser", failures: failures.slice(0, 1) }]), [
      "FAIL in browser: config.spec.ts › configuration › saves a cap",
      "         why: Timed out 10000ms",
    ]);
  });
});

describe("tapCounts", () => {
  it("reads node --test's closing counts and its SKIP and TODO lines", () => {
    const tap = [
      "TAP version 13",
      "# Subtest: a",
      "ok 1 - a",
      "ok 2 - needs redis # SKIP REDIS_URL is not set",
      "not ok 3 - broken",
      "ok 4 - later # TODO",
      "1..4",
      "# tests 4",
      "# suites 0",
      "# pass 1",
      "# fail 1",
      "# cancelled 0",
      "# skipped 1",
      "# todo 1",
      "# duration_ms 12.3",
    ].join("\n");
    assert.deepEqual(tapCounts(tap), {
      passed: 1,
      failed: 1,
      skipped: 2,
      skips: [
        { where: "needs redis", tests: 1, reason: "REDIS_URL is not set" },
        { where: "later", tests: 1, reason: "marked todo" },
      ],
    });
  });
});

describe("the summary", () => {
  it("the last line keeps 'N passed, N failed' and adds the skipped", () => {
    const line = totalsLine({ passed: 812, failed: 0, skipped: 14 });
    assert.equal(line, "812 passed, 0 failed, 14 skipped");
    assert.match(line, /^(\d+) passed, (\d+) failed\b/); // what CI greps
  });

  it("names each skip and why, per suite", () => {
    assert.deepEqual(
      skipLines([
        {
          suite: "api: integration tests",
          skips: [{ where: "a.test.ts › two", tests: 2, reason: "no REDIS_URL" }],
        },
        { suite: "core", skips: [] },
      ]),
      ["skip   2 in api: integration tests: a.test.ts › two", "         why: no REDIS_URL"],
    );
  });

  it("names the service addresses a run lacks", () => {
    assert.deepEqual(missingServiceEnv({ DATABASE_URL: "postgres://x", RESTART_PG_CLUSTER: "" }), [
      "REDIS_URL",
      "RESTART_DATABASE_URL",
      "RESTART_PG_CLUSTER",
    ]);
  });
});
