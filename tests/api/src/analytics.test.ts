/**
 * Usage analytics: the daily rollups and latency histograms (maintained by the statements that
 * complete or reject usage rows) always equal a direct aggregation of the raw log, after random
 * workloads of successes with cached tokens, failures and rejections of several reasons; and
 * platform.usage reports them.
 */
import type { RunningServer } from "@wedsync/api/server";
import {
  aiDailyCounters,
  aiModelPrices,
  aiUsageClientMonthlyRollups,
  aiUsageDailyRollups,
  aiUsageLatencyMonthlyRollups,
  aiUsageLatencyRollups,
  aiUsageOrgDailyRollups,
  bucketsFromLatencies,
  fromMicros,
  percentileFromBuckets,
  priceChangeInstants,
} from "@wedsync/core";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { createTenant } from "./harness/tenant";
import { micros, usageRows } from "./harness/usage";

let fake: FakeOpenAI;
let server: RunningServer;
let upstream: OpenAIServer;
beforeAll(async () => {
  upstream = await startOpenAIServer(
    {
      timeoutMs: 2_000,
      retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 10 },
      breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
    },
    { fake: { record: false } },
  );
  ({ server, fake } = upstream);
});
afterAll(() => upstream?.close());

const op = fc.record({
  feature: fc.constantFrom("field_extraction" as const, "smart_mapping" as const),
  client: fc.nat({ max: 2 }),
  outcome: fc.oneof(
    { weight: 4, arbitrary: fc.constant({ kind: "ok" as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: "fail" as const }) },
  ),
  usage: fc.record({
    prompt_tokens: fc.integer({ min: 1, max: 5_000 }),
    completion_tokens: fc.integer({ min: 1, max: 2_000 }),
    cached_tokens: fc.integer({ min: 0, max: 1 }),
  }),
});

type Key = string;
type KeyParts = {
  clientId: string | null;
  featureType: string;
  provider: string | null;
  model: string | null;
  day: string;
  /** The price segment's start (ISO), or "-" before any price. */
  segment: string;
};
/** The grains: client-level daily, organization-level daily, client-level monthly. */
const GRAINS = {
  daily: (r: Omit<KeyParts, "provider" | "segment">) =>
    `${r.clientId ?? "-"}|${r.featureType}|${r.model ?? "-"}|${r.day}`,
  orgDaily: (r: Omit<KeyParts, "clientId">) =>
    `${r.featureType}|${r.provider ?? "-"}|${r.model ?? "-"}|${r.day}|${r.segment}`,
  clientMonthly: (r: { clientId: string | null; day: string }) => `${r.clientId ?? "-"}|${r.day.slice(0, 7)}`,
};

/** The start of the price segment `at` falls in: the latest instant any price took effect, not after it. */
function segmentOf(instants: Date[], at: Date): string {
  return (
    instants
      .filter((t) => t <= at)
      .at(-1)
      ?.toISOString() ?? "-"
  );
}

/** The rollup computed independently, straight from the raw rows, at one grain. */
function aggregate(
  rows: Awaited<ReturnType<typeof usageRows>>,
  keyOf: (r: KeyParts) => Key,
  instants: Date[] = [],
) {
  const out = new Map<Key, Record<string, number | bigint>>();
  for (const r of rows) {
    const k = keyOf({
      segment: segmentOf(instants, r.createdAt),
      clientId: r.clientId,
      featureType: r.featureType,
      provider: r.provider,
      model: r.model,
      // Turned away before the caps, a row is given the day it was made (tenants are UTC).
      day: r.quotaDay ?? r.createdAt.toISOString().slice(0, 10),
    });
    const a = out.get(k) ?? {
      requests: 0,
      succeeded: 0,
      failed: 0,
      rejected: 0,
      rejectedRateLimited: 0,
      rejectedDailyRequestCap: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      costMicros: 0n,
      processingMsTotal: 0,
    };
    if (r.status === "rejected") {
      (a.rejected as number)++;
      if (r.rejectionReason === "rate_limited") (a.rejectedRateLimited as number)++;
      if (r.rejectionReason === "daily_request_cap") (a.rejectedDailyRequestCap as number)++;
    } else {
      (a.requests as number)++;
      if (r.status === "succeeded") (a.succeeded as number)++;
      else (a.failed as number)++;
      a.inputTokens = (a.inputTokens as number) + r.inputTokens;
      a.outputTokens = (a.outputTokens as number) + r.outputTokens;
      a.cachedInputTokens = (a.cachedInputTokens as number) + r.cachedInputTokens;
      a.costMicros = (a.costMicros as bigint) + micros(r.costUsd);
      a.processingMsTotal = (a.processingMsTotal as number) + (r.processingTimeMs ?? 0);
    }
    out.set(k, a);
  }
  return out;
}

describe("daily rollups", () => {
  it("equal a direct aggregation of the raw log after random workloads", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const t = await createTenant(server, { clients: 3 });
        const owner = await t.as("owner");
        const member = await t.as("member");
        // Tight limits so the workload also meets rejections of two reasons.
        await owner.platform.config.update.mutate({
          featureType: "field_extraction",
          expectedVersion: 1,
          patch: { maxRequestsPerDay: 6 },
        });
        await owner.platform.config.update.mutate({
          featureType: "smart_mapping",
          expectedVersion: 1,
          patch: { rateLimitPerMinute: 4 },
        });
        for (const o of ops) {
          fake.setBehavior(
            o.outcome.kind === "ok"
              ? {
                  kind: "ok",
                  usage: {
                    prompt_tokens: o.usage.prompt_tokens,
                    completion_tokens: o.usage.completion_tokens,
                    cached_tokens: o.usage.cached_tokens ? Math.floor(o.usage.prompt_tokens / 2) : 0,
                  },
                }
              : { kind: "status", status: 400 },
          );
          const clientId = t.clientIds[o.client]!;
          await (o.feature === "field_extraction"
            ? member.clients.process.mutate({
                clientId,
                featureType: o.feature,
                input: { text: "Emma & Liam, 12 June 2027" },
              })
            : member.clients.process.mutate({
                clientId,
                featureType: o.feature,
                input: {
                  sourceFields: [{ name: "date", value: "2027-06-12" }],
                  targetLabels: ["Event date"],
                },
              })
          ).catch(() => {});
        }
        const rows = await usageRows(server, t.organizationId);
        expect(rows).toHaveLength(ops.length);
        // Every row says the day it counted on, rejections too (the insert trigger sets it).
        expect(rows.filter((r) => r.quotaDay === null)).toEqual([]);
        const counters = (r: typeof aiUsageDailyRollups.$inferSelect) => ({
          requests: r.requests,
          succeeded: r.succeeded,
          failed: r.failed,
          rejected: r.rejected,
          rejectedRateLimited: r.rejectedRateLimited,
          rejectedDailyRequestCap: r.rejectedDailyRequestCap,
          inputTokens: r.inputTokens,
          outputTokens: r.outputTokens,
          cachedInputTokens: r.cachedInputTokens,
          costMicros: r.costMicros,
          processingMsTotal: r.processingMsTotal,
        });
        const db = server.services.db;
        const instants = priceChangeInstants(await db.select().from(aiModelPrices));
        const [daily, orgDaily, clientMonthly] = await Promise.all([
          db
            .select()
            .from(aiUsageDailyRollups)
            .where(eq(aiUsageDailyRollups.organizationId, t.organizationId)),
          db
            .select()
            .from(aiUsageOrgDailyRollups)
            .where(eq(aiUsageOrgDailyRollups.organizationId, t.organizationId)),
          db
            .select()
            .from(aiUsageClientMonthlyRollups)
            .where(eq(aiUsageClientMonthlyRollups.organizationId, t.organizationId)),
        ]);
        expect(new Map(daily.map((r) => [GRAINS.daily(r), counters(r)]))).toEqual(
          aggregate(rows, GRAINS.daily),
        );
        expect(
          new Map(
            orgDaily.map((r) => [
              GRAINS.orgDaily({ ...r, segment: r.priceSegmentFrom?.toISOString() ?? "-" }),
              counters({ ...r, clientId: null }),
            ]),
          ),
        ).toEqual(aggregate(rows, GRAINS.orgDaily, instants));
        expect(
          new Map(
            clientMonthly.map((r) => [
              GRAINS.clientMonthly({ clientId: r.clientId, day: r.month }),
              counters({ ...r, featureType: "pdf_analysis", model: null, day: r.month }),
            ]),
          ),
        ).toEqual(aggregate(rows, GRAINS.clientMonthly));
        // Months are stored as their first day.
        expect(clientMonthly.every((r) => r.month.endsWith("-01"))).toBe(true);
        // The operators' rebuild from the log (drizzle/0010) writes back exactly what the live path wrote.
        const since = rows.map((r) => r.quotaDay!).sort()[0]!;
        await db.execute(sql`select wedsync_rebuild_org_daily_rollups(${since}::date)`);
        const rebuilt = await db
          .select()
          .from(aiUsageOrgDailyRollups)
          .where(eq(aiUsageOrgDailyRollups.organizationId, t.organizationId));
        const byKey = (list: typeof orgDaily) =>
          new Map(
            list.map((r) => [
              GRAINS.orgDaily({ ...r, segment: r.priceSegmentFrom?.toISOString() ?? "-" }),
              r,
            ]),
          );
        expect(byKey(rebuilt)).toEqual(byKey(orgDaily));

        // The latency histogram: per feature and day, the buckets of the completed rows' times.
        const latency = await server.services.db
          .select()
          .from(aiUsageLatencyRollups)
          .where(eq(aiUsageLatencyRollups.organizationId, t.organizationId));
        const latencyMonthly = await db
          .select()
          .from(aiUsageLatencyMonthlyRollups)
          .where(eq(aiUsageLatencyMonthlyRollups.organizationId, t.organizationId));
        for (const feature of ["field_extraction", "smart_mapping"] as const) {
          const times = rows
            .filter((r) => r.featureType === feature && r.status !== "rejected")
            .map((r) => r.processingTimeMs ?? 0);
          const stored: Record<number, number> = {};
          for (const l of latency.filter((x) => x.featureType === feature)) stored[l.bucket] = l.count;
          const direct: Record<number, number> = {};
          bucketsFromLatencies(times).forEach((c, i) => {
            if (c > 0) direct[i] = c;
          });
          expect(stored).toEqual(direct);
          // The monthly histogram holds the same counts (the workload stays inside one month).
          const monthly: Record<number, number> = {};
          for (const l of latencyMonthly.filter((x) => x.featureType === feature))
            monthly[l.bucket] = l.count;
          expect(monthly).toEqual(direct);
        }
      }),
      { numRuns: 6, endOnFailure: true },
    );
  });
});

describe("platform.usage", () => {
  it("reports totals, breakdowns, performance and the trend from the rollups", async () => {
    const t = await createTenant(server, { clients: 2 });
    const member = await t.as("member");
    const usages = [
      { prompt_tokens: 1_200, completion_tokens: 300, cached_tokens: 400 },
      { prompt_tokens: 800, completion_tokens: 100, cached_tokens: 0 },
      { prompt_tokens: 2_000, completion_tokens: 900, cached_tokens: 1_000 },
    ];
    for (const [i, usage] of usages.entries()) {
      fake.setBehavior({ kind: "ok", usage });
      await member.clients.process.mutate({
        clientId: t.clientIds[i % 2]!,
        featureType: "field_extraction",
        input: { text: `Request ${i}: Emma & Liam` },
      });
    }
    const rows = await usageRows(server, t.organizationId);
    const today = rows[0]!.quotaDay!;
    // Last year's same day, as history, in the organization-level rollup the trend reads
    // (as the completing statement would have written it).
    const lastYear = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    await server.services.db.insert(aiUsageOrgDailyRollups).values({
      organizationId: t.organizationId,
      featureType: "field_extraction",
      model: "gpt-4o-mini",
      day: lastYear,
      requests: 2,
      succeeded: 2,
      costMicros: 1_000n,
    });

    const report = await member.platform.usage.query({ from: today, to: today });
    const totalMicros = rows.reduce((s, r) => s + micros(r.costUsd), 0n);
    expect(report.totals).toMatchObject({
      requests: 3,
      succeeded: 3,
      rejected: 0,
      inputTokens: 4_000,
      cachedInputTokens: 1_400,
      outputTokens: 1_300,
      costUsd: fromMicros(totalMicros, 6),
    });
    expect(report.byClient.map((c) => c.requests).sort()).toEqual([1, 2]);
    expect(report.byDay).toEqual([expect.objectContaining({ day: today, requests: 3 })]);
    expect(report.byModel).toHaveLength(1);
    const times = rows.map((r) => r.processingTimeMs ?? 0);
    expect(report.performance.p50Ms).toBe(percentileFromBuckets(bucketsFromLatencies(times), 0.5));
    expect(report.performance.successRate).toBe(1);
    expect(report.trend.lastYear).toEqual({ requests: 2, costUsd: "0.001000" });
    expect(report.trend.yearOverYear.requests).toBe("0.5000"); // 3 against 2
  });

  it("derives the seasonal index from the organization's own monthly history", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const today = new Date().toISOString().slice(0, 10);
    // Two years of history, June and September the busy months (organization-wide counters).
    const rows = [];
    for (let back = 1; back <= 24; back++) {
      const d = new Date(`${today.slice(0, 7)}-15T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() - back);
      const month = d.getUTCMonth();
      rows.push({
        organizationId: t.organizationId,
        featureType: "field_extraction" as const,
        scope: "org",
        day: d.toISOString().slice(0, 10),
        requests: month === 5 ? 90 : month === 8 ? 60 : 10,
      });
    }
    await server.services.db.insert(aiDailyCounters).values(rows);
    const report = await member.platform.usage.query({ from: today, to: today });
    const index = report.trend.seasonalIndex!;
    expect(index).toHaveLength(12);
    expect(index.indexOf(Math.max(...index))).toBe(5); // June
    expect(index[8]! > 1 && index[0]! < 1).toBe(true); // September above an average month, January below
    expect(index.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 6);
  });

  it("refuses a period that runs backwards or is too long, naming the field", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    await expect(member.platform.usage.query({ from: "2026-06-10", to: "2026-06-01" })).rejects.toMatchObject(
      {
        data: { code: "BAD_REQUEST", fieldErrors: [expect.objectContaining({ field: "to" })] },
      },
    );
    await expect(member.platform.usage.query({ from: "2024-01-01", to: "2026-06-01" })).rejects.toMatchObject(
      {
        data: { code: "BAD_REQUEST", fieldErrors: [expect.objectContaining({ field: "to" })] },
      },
    );
    await expect(member.platform.usage.query({ from: "2026-02-30", to: "2026-03-01" })).rejects.toMatchObject(
      {
        data: { code: "BAD_REQUEST", fieldErrors: [expect.objectContaining({ field: "from" })] },
      },
    );
  });
});
