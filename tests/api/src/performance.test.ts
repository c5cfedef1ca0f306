/**
 * The performance monitor: every procedure and route timed (as batches, errors and the OpenAI
 * endpoint really arrive), written off the request path, and read back as reports that equal
 * what was sent; the SLA check finds a slow endpoint. Real server, typed client, fake upstream.
 */
import type { RunningServer } from "@wedsync/api/server";
import { aiApiMetrics, dayInTimezone, percentileFromBuckets, summarizeLatencies } from "@wedsync/core";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import { and, eq, gte, lt } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { startTestServer } from "./harness/server";
import { createStaffUser, createTenant, type Tenant } from "./harness/tenant";
import { micros, usageRows } from "./harness/usage";

const TEXT = "Emma & Liam, 12 June 2027, Kew Gardens, 120 guests, emma@example.com";

let fake: FakeOpenAI;
let server: RunningServer;
let upstream: OpenAIServer;
beforeAll(async () => {
  upstream = await startOpenAIServer({
    timeoutMs: 5_000,
    retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
    breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
  });
  ({ server, fake } = upstream);
});
afterAll(() => upstream?.close());
beforeEach(() => fake.reset());

/** Within the latency sketch's 2% of the exact nearest-rank value. */
function expectWithin2Percent(got: number | null, exact: number) {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - exact)).toBeLessThanOrEqual(exact * 0.02 + 1e-9);
}

function runProcess(t: Tenant, client: Awaited<ReturnType<Tenant["as"]>>) {
  return client.clients.process.mutate({
    clientId: t.clientIds[0]!,
    featureType: "field_extraction",
    input: { text: TEXT },
  });
}

/** Buffered figures are written every second; tests write them now rather than wait. */
const flush = () => server.services.performance.flush();

describe("performance.report", () => {
  it("counts every procedure and route the organization called, with their statuses, batches split per procedure", async () => {
    const [t, other] = await Promise.all([createTenant(server), createTenant(server)]);
    const member = await t.as("member");
    for (let i = 0; i < 3; i++) await member.clients.list.query({});
    // One HTTP request carrying two procedures.
    await Promise.all([member.clients.list.query({}), member.platform.config.get.query({})]);
    // Another organization's client: NOT_FOUND, alone and inside a batch that otherwise succeeds (207).
    const foreign = { clientId: other.clientIds[0]! };
    await expectError(member.clients.config.get.query(foreign), "NOT_FOUND");
    const mixed = await Promise.allSettled([
      member.clients.list.query({}),
      member.clients.config.get.query(foreign),
    ]);
    expect(mixed.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    // The OpenAI-compatible route, authenticated by an API key (created by the owner: one more call).
    const { key } = await t.apiKey("member");
    const openai = new OpenAI({ apiKey: key, baseURL: `${server.url}/v1`, maxRetries: 0 });
    await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: TEXT }],
    });
    await fetch(`${server.url}/healthz`); // no organization: never in one's report
    await flush();

    const report = await (await t.as("admin")).performance.report.query();
    const seen = Object.fromEntries(
      report.endpoints.map((e) => [e.endpoint, [e.requests, e.clientErrors, e.serverErrors]]),
    );
    expect(seen).toEqual({
      "trpc:clients.list": [5, 0, 0],
      "trpc:platform.config.get": [1, 0, 0],
      "trpc:clients.config.get": [2, 2, 0],
      "trpc:apiKeys.create": [1, 0, 0],
      "POST /v1/chat/completions": [1, 0, 0],
    });
    for (const e of report.endpoints) {
      expect(e.p50Ms).not.toBeNull();
      expect(e.p50Ms!).toBeLessThanOrEqual(e.p95Ms!);
      expect(e.p95Ms!).toBeLessThanOrEqual(e.p99Ms!);
      expect(e.meanDbMs!).toBeLessThanOrEqual(e.meanMs!);
    }
    // Database time is measured per request and never exceeds the request's own time.
    const rows = await server.services.db
      .select()
      .from(aiApiMetrics)
      .where(eq(aiApiMetrics.organizationId, t.organizationId));
    for (const r of rows) expect(r.dbMsTotal).toBeLessThanOrEqual(r.durationMsTotal);
    const chat = rows.find((r) => r.endpoint === "POST /v1/chat/completions")!;
    expect(chat.dbMsTotal).toBeGreaterThan(0); // admission and completion each wait on the database

    // The other organization sees none of it.
    const theirs = await (await other.as("owner")).performance.report.query();
    expect(theirs.endpoints).toEqual([]);
  });

  it("per endpoint: p50/p95/p99 within 2% of the response times sent, exact counts, and the SLA verdict", async () => {
    const t = await createTenant(server);
    const latencies = Array.from({ length: 200 }, (_, i) => 5 + ((i * 37) % 200) * 3.7);
    const statusOf = (i: number) => (i % 50 === 0 ? 503 : i % 20 === 0 ? 404 : 200);
    for (const [i, ms] of latencies.entries()) {
      server.services.performance.trackAPIResponse({
        endpoint: "trpc:synthetic.slow",
        responseTime: ms,
        statusCode: statusOf(i),
        organizationId: t.organizationId,
        dbTime: ms / 4,
      });
    }
    await flush();
    const report = await (await t.as("owner")).performance.report.query();
    const e = report.endpoints.find((x) => x.endpoint === "trpc:synthetic.slow")!;
    const exact = summarizeLatencies(latencies)!;
    expect([e.requests, e.clientErrors, e.serverErrors]).toEqual([200, 8, 4]);
    expect(e.errorRate).toBe(4 / 200);
    expectWithin2Percent(e.p50Ms, exact.p50Ms);
    expectWithin2Percent(e.p95Ms, exact.p95Ms);
    expectWithin2Percent(e.p99Ms, exact.p99Ms);
    expect(e.meanMs).toBeCloseTo(exact.meanMs, 1);
    expect(e.meanDbMs).toBeCloseTo(exact.meanMs / 4, 1);
    // p95 far above 500 ms and 98% success: both rules broken.
    expect(e.sla.breaches.map((b) => b.rule).sort()).toEqual(["p95_latency", "success_rate"]);
    expect(report.sla).toMatchObject({ compliant: false, breachedEndpoints: ["trpc:synthetic.slow"] });
  });

  it("per feature: percentiles of processing times, error rate, exact cost per request, rejections by reason", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const fe = (await owner.platform.config.get.query()).features.find(
      (f) => f.featureType === "field_extraction",
    )!;
    await owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: fe.version,
      patch: { rateLimitPerMinute: 9 },
    });
    const ok = {
      kind: "ok" as const,
      usage: { prompt_tokens: 1_000, completion_tokens: 500, cached_tokens: 400 },
    };
    fake.setBehavior([
      ...Array(7).fill(ok),
      { kind: "status", status: 400 },
      { kind: "status", status: 400 },
    ]);
    for (let i = 0; i < 7; i++) expect((await runProcess(t, member)).usage.costUsd).toBe("0.000420");
    await expectError(runProcess(t, member), "BAD_REQUEST"); // the upstream refused it: a failed request
    await expectError(runProcess(t, member), "BAD_REQUEST");
    await expectError(runProcess(t, member), "TOO_MANY_REQUESTS"); // the 10th and 11th in the minute
    await expectError(runProcess(t, member), "TOO_MANY_REQUESTS");

    const report = await owner.performance.report.query();
    const rows = await usageRows(server, t.organizationId);
    const completed = rows.filter((r) => r.status === "succeeded" || r.status === "failed");
    expect(completed).toHaveLength(9);
    const feature = report.features.find((f) => f.featureType === "field_extraction")!;
    expect(feature).toMatchObject({ requests: 9, succeeded: 7, failed: 2, errorRate: 2 / 9 });
    const exact = summarizeLatencies(completed.map((r) => r.processingTimeMs!))!;
    expectWithin2Percent(feature.p50Ms, exact.p50Ms);
    expectWithin2Percent(feature.p95Ms, exact.p95Ms);
    expectWithin2Percent(feature.p99Ms, exact.p99Ms);

    // Cost per request: the stored costs summed, divided by completed requests, exact to the micro-dollar.
    const spent = completed.reduce((s, r) => s + micros(r.costUsd), 0n);
    expect(spent).toBe(2_940n);
    expect(report.costPerRequest).toEqual([
      { day: completed[0]!.quotaDay, requests: 9, costUsd: "0.002940", costPerRequestUsd: "0.000326" },
    ]);
    expect(report.rateLimiting).toMatchObject({
      admitted: 9,
      rejected: 2,
      rejectedByReason: { rate_limited: 2, daily_cost_cap: 0, credit_limit: 0 },
      rejectionRate: 2 / 11,
    });
    expect(report.configCache.scope).toBe("instance");
    expect(report.configCache.hits + report.configCache.misses).toBeGreaterThan(0);
  });

  it("a member is FORBIDDEN, another organization is NOT_FOUND, a bad window names its field", async () => {
    const [t, other] = await Promise.all([createTenant(server), createTenant(server)]);
    const [member, admin] = await Promise.all([t.as("member"), t.as("admin")]);
    await expectError(member.performance.report.query(), "FORBIDDEN");
    await expectError(admin.performance.report.query({ organizationId: other.organizationId }), "NOT_FOUND");
    let e = await expectError(
      admin.performance.report.query({ from: "2027-06-10", to: "2027-06-01" }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e)).toEqual(["to"]);
    e = await expectError(admin.performance.report.query({ from: "10 June" } as never), "BAD_REQUEST");
    expect(fieldsOf(e)).toEqual(["from"]);
    await expectError(admin.performance.sla.query(), "FORBIDDEN");
  });

  it("counts days in the organization's timezone: the default window is its last 7 days", async () => {
    const t = await createTenant(server, { timezone: "Pacific/Kiritimati" }); // UTC+14
    const owner = await t.as("owner");
    await owner.clients.list.query({});
    await flush();
    const report = await owner.performance.report.query();
    const today = dayInTimezone(new Date(), "Pacific/Kiritimati");
    expect(report).toMatchObject({ timezone: "Pacific/Kiritimati", window: { to: today } });
    expect(Date.parse(report.window.to) - Date.parse(report.window.from)).toBe(6 * 86_400_000);
    expect(report.endpoints.map((e) => [e.endpoint, e.requests])).toEqual([["trpc:clients.list", 1]]);
    // A window of days before today holds none of it.
    const yesterday = new Date(Date.parse(today) - 86_400_000).toISOString().slice(0, 10);
    const before = await owner.performance.report.query({ from: yesterday, to: yesterday });
    expect(before.endpoints).toEqual([]);
  });
});

describe("database timing", () => {
  it("can be switched off: responses are still counted, with no database time", async () => {
    const quiet = await startTestServer({ performance: { databaseTiming: false } });
    try {
      const t = await createTenant(quiet);
      const member = await t.as("member");
      for (let i = 0; i < 3; i++) await member.clients.list.query({});
      await quiet.services.performance.flush();
      const rows = await quiet.services.db
        .select()
        .from(aiApiMetrics)
        .where(eq(aiApiMetrics.organizationId, t.organizationId));
      expect(rows.map((r) => [r.endpoint, r.requests, r.dbMsTotal])).toEqual([["trpc:clients.list", 3, 0]]);
    } finally {
      await quiet.close();
    }
  });
});

describe("performance.sla", () => {
  it("finds the slow endpoint: p95 over 500 ms breaks the SLA, a fast one complies", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    fake.setBehavior({ kind: "ok", delayMs: 600 });
    await Promise.all(Array.from({ length: 10 }, () => runProcess(t, member)));
    for (let i = 0; i < 5; i++) await member.clients.list.query({});
    // Another organization's requests, for the platform-wide figures.
    const other = await createTenant(server);
    const otherMember = await other.as("member");
    await Promise.all([runProcess(other, otherMember), runProcess(other, otherMember)]);
    await flush();

    const staff = await createStaffUser(server);
    const sla = await staff.performance.sla.query({ hours: 2, organizationId: t.organizationId });
    expect(sla.compliant).toBe(false);
    expect(sla.breaches.map((b) => b.endpoint)).toEqual(["trpc:clients.process"]);
    const slow = sla.breaches[0]!;
    expect(slow.requests).toBe(10);
    expect(slow.breaches).toHaveLength(1);
    expect(slow.breaches[0]).toMatchObject({ rule: "p95_latency", limit: 500 });
    expect(slow.breaches[0]!.actual).toBeGreaterThanOrEqual(600 * 0.98);
    expect(sla.endpoints.find((e) => e.endpoint === "trpc:clients.list")).toMatchObject({
      requests: 5,
      compliant: true,
      successRate: 1,
    });

    // Platform-wide, from the per-endpoint rows written alongside: the sums of every
    // organization's rows in the window (no request to clients.process happens meanwhile).
    const all = await staff.performance.sla.query({ hours: 2 });
    expect(all.window.organizationId).toBeNull();
    const everyone = await server.services.db
      .select()
      .from(aiApiMetrics)
      .where(
        and(
          eq(aiApiMetrics.endpoint, "trpc:clients.process"),
          gte(aiApiMetrics.hour, new Date(all.window.from)),
          lt(aiApiMetrics.hour, new Date(all.window.to)),
        ),
      );
    const merged: Record<number, number> = {};
    for (const row of everyone)
      for (const [bucket, n] of Object.entries(row.buckets))
        merged[Number(bucket)] = (merged[Number(bucket)] ?? 0) + n;
    const process = all.endpoints.find((e) => e.endpoint === "trpc:clients.process")!;
    expect(everyone.length).toBeGreaterThan(1); // several organizations' rows
    expect(process.requests).toBe(everyone.reduce((n, r) => n + r.requests, 0));
    expect(process.requests).toBeGreaterThanOrEqual(10);
    expect(process.p95Ms).toBe(Math.round(percentileFromBuckets(merged, 0.95)! * 100) / 100);
    const e = await expectError(staff.performance.sla.query({ hours: 0 }), "BAD_REQUEST");
    expect(fieldsOf(e)).toEqual(["hours"]);
  });
});
