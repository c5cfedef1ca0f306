/**
 * serviceLevels.overview: the staff console's service levels. Requests sent (real ones, and
 * response times fed to the monitor where exact percentiles are needed) come back per endpoint and
 * per organization with percentiles within the sketch's 2%, exact counts and error rates, SLA
 * verdicts, a time series by hour or day, provider health with the last failures and the config
 * cache's hit rate. Periods are bounded and checked. On PostgreSQL the platform-wide rows are
 * shared with suites running at the same time: each test reads its own endpoints and organizations.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient } from "@wedsync/client";
import { summarizeLatencies } from "@wedsync/core";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { createStaffUser, createTenant, type SessionClient } from "./harness/tenant";

const HOUR_MS = 3_600_000;

let fake: FakeOpenAI;
let server: RunningServer;
let upstream: OpenAIServer;
let staff: SessionClient;
beforeAll(async () => {
  upstream = await startOpenAIServer({
    timeoutMs: 5_000,
    retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
    breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
  });
  ({ server, fake } = upstream);
  staff = await createStaffUser(server);
});
afterAll(() => upstream?.close());
beforeEach(() => fake.reset());

/** Buffered figures are written every second; tests write them now rather than wait. */
const flush = () => server.services.performance.flush();

/** An endpoint name no other test uses, so shared platform-wide rows cannot blur its figures. */
const endpointName = (what: string) => `trpc:synthetic.${what}-${randomUUID().slice(0, 8)}`;

/** Within the latency sketch's 2% of the exact nearest-rank value. */
function expectWithin2Percent(got: number | null, exact: number) {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - exact)).toBeLessThanOrEqual(exact * 0.02 + 1e-9);
}

function track(
  endpoint: string,
  organizationId: string,
  latencies: number[],
  statusOf: (i: number) => number,
  at?: Date,
) {
  for (const [i, ms] of latencies.entries()) {
    server.services.performance.trackAPIResponse({
      endpoint,
      responseTime: ms,
      statusCode: statusOf(i),
      organizationId,
      ...(at && { at }),
    });
  }
}

describe("serviceLevels.overview", () => {
  it("per endpoint and per organization: exact counts, percentiles within 2%, error rates and SLA verdicts", async () => {
    const [a, b] = await Promise.all([createTenant(server), createTenant(server)]);
    const slow = endpointName("slow");
    const fast = endpointName("fast");
    const slowLatencies = Array.from({ length: 200 }, (_, i) => 5 + ((i * 37) % 200) * 3.7);
    const fastLatencies = Array.from({ length: 100 }, (_, i) => 2 + (i % 10));
    // 4 server errors of 200 (98% success) and 8 caller mistakes, which the SLA does not count.
    track(slow, a.organizationId, slowLatencies, (i) => (i % 50 === 0 ? 503 : i % 20 === 0 ? 404 : 200));
    track(fast, b.organizationId, fastLatencies, () => 200);
    // Real procedures too, timed by the middleware.
    const member = await a.as("member");
    for (let i = 0; i < 3; i++) await member.clients.list.query({});
    await flush();

    const overview = await staff.serviceLevels.overview.query({ hours: 1 });
    expect(overview.period).toMatchObject({ hours: 1, granularity: "hour" });
    expect(overview.period.to.getTime() % HOUR_MS).toBe(0);
    expect(overview.period.to.getTime()).toBeGreaterThan(Date.now());
    expect(overview.policy).toEqual({ p95LimitMs: 500, minSuccessRate: 0.999 });

    const s = overview.endpoints.find((e) => e.endpoint === slow)!;
    const exact = summarizeLatencies(slowLatencies)!;
    expect([s.requests, s.clientErrors, s.serverErrors]).toEqual([200, 8, 4]);
    expect(s.errorRate).toBe(4 / 200);
    expect(s.successRate).toBe(196 / 200);
    expectWithin2Percent(s.p50Ms, exact.p50Ms);
    expectWithin2Percent(s.p95Ms, exact.p95Ms);
    expectWithin2Percent(s.p99Ms, exact.p99Ms);
    expect(s.compliant).toBe(false);
    expect(s.breaches.map((x) => x.rule).sort()).toEqual(["p95_latency", "success_rate"]);
    const f = overview.endpoints.find((e) => e.endpoint === fast)!;
    expect(f).toMatchObject({ requests: 100, serverErrors: 0, errorRate: 0, compliant: true, breaches: [] });
    expectWithin2Percent(f.p95Ms, summarizeLatencies(fastLatencies)!.p95Ms);
    const list = overview.endpoints.find((e) => e.endpoint === "trpc:clients.list")!;
    expect(list.requests).toBeGreaterThanOrEqual(3);
    expect(list.p50Ms!).toBeLessThanOrEqual(list.p95Ms!);
    expect(list.p95Ms!).toBeLessThanOrEqual(list.p99Ms!);
    expect(overview.totals.breachedEndpointCount).toBeGreaterThanOrEqual(1);

    // Per organization: every endpoint of it together, named, with the endpoints that broke the SLA.
    const orgA = overview.organizations.find((o) => o.organizationId === a.organizationId)!;
    expect(orgA.name).toBe(`Test Org ${a.slug}`);
    expect(orgA.requests).toBe(203);
    expect(orgA.serverErrors).toBe(4);
    expect(orgA.errorRate).toBe(4 / 203);
    expect(orgA.breachedEndpoints).toEqual([slow]);
    expect(orgA.compliant).toBe(false);
    const orgB = overview.organizations.find((o) => o.organizationId === b.organizationId)!;
    expect(orgB).toMatchObject({ requests: 100, serverErrors: 0, compliant: true, breachedEndpoints: [] });
    expectWithin2Percent(orgB.p50Ms, summarizeLatencies(fastLatencies)!.p50Ms);

    // One organization: its endpoints only, and a series of its own.
    const onlyA = await staff.serviceLevels.overview.query({ hours: 1, organizationId: a.organizationId });
    expect(onlyA.organizationId).toBe(a.organizationId);
    expect(onlyA.endpoints.map((e) => e.endpoint).sort()).toEqual([slow, "trpc:clients.list"].sort());
    expect(onlyA.organizations.map((o) => o.organizationId)).toEqual([a.organizationId]);
    expect(onlyA.totals).toMatchObject({
      requests: 203,
      serverErrors: 4,
      endpointCount: 2,
      breachedEndpointCount: 1,
    });
    expect(onlyA.series).toHaveLength(1);
    expect(onlyA.series[0]).toMatchObject({ requests: 203, serverErrors: 4, errorRate: 4 / 203 });
    expect(onlyA.series[0]!.p95Ms).toBe(onlyA.totals.p95Ms);
  });

  it("a time series per hour for short periods and per UTC day for long ones, empty slots included", async () => {
    const t = await createTenant(server);
    const endpoint = endpointName("series");
    const now = new Date();
    const twoDaysAgo = new Date(now.getTime() - 2 * 24 * HOUR_MS);
    track(endpoint, t.organizationId, [10, 20, 30], () => 200, new Date(now.getTime() - 2 * HOUR_MS));
    track(endpoint, t.organizationId, [700, 800], (i) => (i === 0 ? 500 : 200), twoDaysAgo);
    track(endpoint, t.organizationId, [40], () => 200);
    await flush();

    const day = await staff.serviceLevels.overview.query({ hours: 24, organizationId: t.organizationId });
    expect(day.period.granularity).toBe("hour");
    expect(day.series).toHaveLength(24);
    for (let i = 1; i < 24; i++)
      expect(day.series[i]!.start.getTime() - day.series[i - 1]!.start.getTime()).toBe(HOUR_MS);
    expect(day.series.map((p) => p.requests)).toEqual([...Array(21).fill(0), 3, 0, 1]);
    expect(day.series[0]).toMatchObject({ requests: 0, errorRate: null, p95Ms: null });
    expectWithin2Percent(day.series[21]!.p95Ms, 30);

    const week = await staff.serviceLevels.overview.query({
      hours: 24 * 7,
      organizationId: t.organizationId,
    });
    expect(week.period.granularity).toBe("day");
    const points = week.series.filter((p) => p.requests > 0);
    const utcDay = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    expect(points.find((p) => p.start.getTime() === utcDay(twoDaysAgo))).toMatchObject({
      requests: 2,
      serverErrors: 1,
      errorRate: 0.5,
    });
    expect(points.reduce((n, p) => n + p.requests, 0)).toBe(6);
    for (const p of week.series) expect(p.start.getTime() % (24 * HOUR_MS)).toBe(0);

    // The same days asked for by date: from a UTC day's midnight through the end of `to`.
    const from = new Date(utcDay(twoDaysAgo)).toISOString().slice(0, 10);
    const to = now.toISOString().slice(0, 10);
    const byDates = await staff.serviceLevels.overview.query({ from, to, organizationId: t.organizationId });
    expect(byDates.period.from.toISOString()).toBe(`${from}T00:00:00.000Z`);
    expect(byDates.period.to.getTime()).toBe(utcDay(now) + 24 * HOUR_MS);
    expect(byDates.period).toMatchObject({ hours: 72, granularity: "day" });
    expect(byDates.series).toHaveLength(3);
    expect(byDates.totals.requests).toBe(6);
  });

  it("provider health shows the breaker state and the last failures; the config cache's hit rate", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    // The upstream fails: the local engine answers instead, and the failure is remembered.
    fake.setBehavior({ kind: "status", status: 500 });
    const before = Date.now();
    const answered = await member.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: "Emma & Liam, 12 June 2027" },
    });
    expect(answered.usage).toMatchObject({ provider: "local", degraded: true });
    fake.setBehavior({ kind: "ok" });
    await member.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: "Emma & Liam, 12 June 2027" },
    });

    const { providers, configCache } = await staff.serviceLevels.overview.query({});
    expect(providers.map((p) => [p.name, p.role])).toEqual([
      ["openai", "primary"],
      ["local", "fallback"],
    ]);
    const openai = providers[0]!;
    expect(openai.circuit).toBe("closed");
    expect(openai.recentFailures.length).toBeGreaterThanOrEqual(1);
    expect(openai.recentFailures[0]!.message).toMatch(/^upstream error \(500/);
    expect(openai.recentFailures[0]!.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(openai.recentFailures[0]!.at).toEqual(openai.lastErrorAt);
    expect(providers[1]!.recentFailures).toEqual([]);
    // The second request found its configuration cached.
    expect(configCache.scope).toBe("instance");
    expect(configCache.hits + configCache.sharedHits).toBeGreaterThanOrEqual(1);
    expect(configCache.hitRate).toBe(
      (configCache.hits + configCache.sharedHits) /
        (configCache.hits + configCache.sharedHits + configCache.misses),
    );
    // The same list the providers' own health procedure gives.
    expect((await staff.admin.providers.health.query())[0]!.recentFailures[0]).toEqual(
      openai.recentFailures[0],
    );
  });

  it("checks the period: bounded, forward, not in the future, one way of giving it; each error names the field", async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ hours: 0 }, "hours"],
      [{ hours: 745 }, "hours"],
      [{ hours: 1.5 }, "hours"],
      [{ hours: 24, from: "2026-01-01" }, "hours"],
      [{ to: "2026-01-01" }, "from"],
      [{ from: "2026-01-05", to: "2026-01-04" }, "to"],
      [{ from: "2026-01-01", to: "2026-02-01" }, "to"],
      [{ from: "2999-01-01" }, "from"],
      [{ from: "yesterday" }, "from"],
      [{ from: "2026-02-30" }, "from"],
      [{ organizationId: "not-a-uuid" }, "organizationId"],
    ];
    for (const [input, field] of cases) {
      const e = await expectError(staff.serviceLevels.overview.query(input as never), "BAD_REQUEST");
      expect({ input, fields: fieldsOf(e) }).toEqual({ input, fields: [field] });
    }
    // 31 days exactly is allowed.
    const month = await staff.serviceLevels.overview.query({ from: "2026-01-01", to: "2026-01-31" });
    expect(month.period).toMatchObject({ hours: 744, granularity: "day" });
    expect(month.series).toHaveLength(31);
    await expectError(staff.serviceLevels.overview.query({ organizationId: randomUUID() }), "NOT_FOUND");
  });

  it("is for platform staff only", async () => {
    const t = await createTenant(server);
    for (const caller of [await t.as("owner"), (await t.apiKey("admin")).client]) {
      await expectError(
        caller.serviceLevels.overview.query({ organizationId: t.organizationId }),
        "FORBIDDEN",
      );
    }
    await expectError(
      createWedsyncClient({ url: server.url }).serviceLevels.overview.query({}),
      "UNAUTHORIZED",
    );
  });
});
