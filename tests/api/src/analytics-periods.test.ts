/**
 * Long periods are answered from coarser rollups: whole months from the client-level monthly
 * rollup and the monthly histograms, the loose days at either end from the daily ones, and
 * organization-wide figures from the organization-level daily rollup. Whatever the period, the
 * answer must equal a direct sum of the daily client-level rows inside it. The rows here are
 * written as the completing statement writes them (every grain), for three months of history.
 */
import type { RunningServer } from "@wedsync/api/server";
import {
  addDays,
  aiUsageClientMonthlyRollups,
  aiUsageDailyRollups,
  aiUsageLatencyMonthlyRollups,
  aiUsageLatencyRollups,
  aiUsageOrgDailyRollups,
  fromMicros,
  percentileFromBuckets,
} from "@wedsync/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant, type Tenant } from "./harness/tenant";

let server: RunningServer;
let tenant: Tenant;
const FIRST = "2026-03-20";
const LAST = "2026-06-10";

type Daily = typeof aiUsageDailyRollups.$inferInsert & { day: string; clientId: string | null };
type Latency = {
  day: string;
  featureType: "field_extraction" | "smart_mapping";
  bucket: number;
  count: number;
};
const daily: Daily[] = [];
const latency: Latency[] = [];

/** Deterministic pseudo-random numbers, so a failure replays. */
function lcg(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x % n;
  };
}

beforeAll(async () => {
  server = await startTestServer();
  tenant = await createTenant(server, { clients: 4 });
  const rnd = lcg(7);
  const clients = [...tenant.clientIds, null];
  for (let day = FIRST; day <= LAST; day = addDays(day, 1)) {
    for (const clientId of clients) {
      if (rnd(3) === 0) continue; // not every client every day
      const featureType = rnd(2) === 0 ? ("field_extraction" as const) : ("smart_mapping" as const);
      const requests = 1 + rnd(20);
      const failed = rnd(requests);
      daily.push({
        organizationId: tenant.organizationId,
        clientId,
        featureType,
        model: rnd(2) === 0 ? "gpt-4o-mini" : "gpt-4o",
        day,
        requests,
        succeeded: requests - failed,
        failed,
        rejected: rnd(3),
        rejectedRateLimited: 0,
        inputTokens: requests * (100 + rnd(900)),
        outputTokens: requests * (10 + rnd(90)),
        cachedInputTokens: rnd(50),
        costMicros: BigInt(requests * (1 + rnd(5_000))),
        processingMsTotal: requests * (50 + rnd(2_000)),
      });
    }
    for (const featureType of ["field_extraction", "smart_mapping"] as const) {
      for (let k = 0; k < 3; k++)
        latency.push({ day, featureType, bucket: 200 + rnd(150), count: 1 + rnd(9) });
    }
  }
  for (const r of daily) r.rejectedRateLimited = r.rejected;
  // The coarser grains, summed as the completing statement and the rejection trigger add to them.
  const sumInto = <K extends string>(
    map: Map<K, Record<string, unknown>>,
    key: K,
    base: object,
    r: Daily,
  ) => {
    const a = (map.get(key) ?? { ...base }) as Record<string, number | bigint>;
    for (const c of [
      "requests",
      "succeeded",
      "failed",
      "rejected",
      "rejectedRateLimited",
      "inputTokens",
      "outputTokens",
      "cachedInputTokens",
      "processingMsTotal",
    ] as const)
      a[c] = ((a[c] as number) ?? 0) + (r[c] as number);
    a.costMicros = ((a.costMicros as bigint) ?? 0n) + (r.costMicros as bigint);
    map.set(key, a);
  };
  const orgDaily = new Map<string, Record<string, unknown>>();
  const clientMonthly = new Map<string, Record<string, unknown>>();
  for (const r of daily) {
    const month = `${r.day.slice(0, 7)}-01`;
    sumInto(
      orgDaily,
      `${r.day}|${r.featureType}|${r.model}`,
      {
        organizationId: r.organizationId,
        day: r.day,
        featureType: r.featureType,
        model: r.model,
      },
      r,
    );
    sumInto(
      clientMonthly,
      `${month}|${r.clientId}`,
      {
        organizationId: r.organizationId,
        month,
        clientId: r.clientId,
      },
      r,
    );
  }
  const latencyMonthly = new Map<string, typeof aiUsageLatencyMonthlyRollups.$inferInsert>();
  const latencyDaily = new Map<string, typeof aiUsageLatencyRollups.$inferInsert>();
  for (const l of latency) {
    const month = `${l.day.slice(0, 7)}-01`;
    const dk = `${l.day}|${l.featureType}|${l.bucket}`;
    const d = latencyDaily.get(dk) ?? { organizationId: tenant.organizationId, ...l, count: 0 };
    d.count = (d.count ?? 0) + l.count;
    latencyDaily.set(dk, d);
    const mk = `${month}|${l.featureType}|${l.bucket}`;
    const m = latencyMonthly.get(mk) ?? {
      organizationId: tenant.organizationId,
      month,
      featureType: l.featureType,
      bucket: l.bucket,
      count: 0,
    };
    m.count = (m.count ?? 0) + l.count;
    latencyMonthly.set(mk, m);
  }
  const db = server.services.db;
  await db.insert(aiUsageDailyRollups).values(daily);
  await db
    .insert(aiUsageOrgDailyRollups)
    .values([...orgDaily.values()] as Array<typeof aiUsageOrgDailyRollups.$inferInsert>);
  await db
    .insert(aiUsageClientMonthlyRollups)
    .values([...clientMonthly.values()] as Array<typeof aiUsageClientMonthlyRollups.$inferInsert>);
  await db.insert(aiUsageLatencyRollups).values([...latencyDaily.values()]);
  await db.insert(aiUsageLatencyMonthlyRollups).values([...latencyMonthly.values()]);
});
afterAll(() => server?.close());

const dayArb = fc.integer({ min: 0, max: 82 }).map((n) => addDays(FIRST, n - 5)); // a few days before the history too

describe("periods cut into whole months and loose days", () => {
  it("equal a direct sum of the daily rows: totals, by client, by day, percentiles", async () => {
    const member = await tenant.as("member");
    await fc.assert(
      fc.asyncProperty(dayArb, dayArb, async (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const inPeriod = daily.filter((r) => r.day >= from && r.day <= to);
        const report = await member.platform.usage.query({ from, to, topClients: 2 });
        const page = await member.platform.usageByClient.query({ from, to, limit: 200 });

        const sum = (rows: Daily[], k: "requests" | "failed" | "rejected") =>
          rows.reduce((s, r) => s + (r[k] as number), 0);
        const cost = (rows: Daily[]) => rows.reduce((s, r) => s + (r.costMicros as bigint), 0n);
        expect(report.totals.requests).toBe(sum(inPeriod, "requests"));
        expect(report.totals.rejected).toBe(sum(inPeriod, "rejected"));
        expect(report.totals.costUsd).toBe(fromMicros(cost(inPeriod), 6));

        // By client: every client with rows in the period, each exact, costliest first.
        const expected = new Map<string | null, Daily[]>();
        for (const r of inPeriod) expected.set(r.clientId, [...(expected.get(r.clientId) ?? []), r]);
        expect(page.totalClients).toBe(expected.size);
        expect(
          new Map(page.clients.map((c) => [c.clientId, [c.requests, c.failed, c.rejected, c.costUsd]])),
        ).toEqual(
          new Map(
            [...expected].map(([id, rows]) => [
              id,
              [sum(rows, "requests"), sum(rows, "failed"), sum(rows, "rejected"), fromMicros(cost(rows), 6)],
            ]),
          ),
        );
        const costs = page.clients.map((c) => Number(c.costUsd));
        expect(costs).toEqual([...costs].sort((x, y) => y - x));
        // platform.usage names the first two and sums the rest.
        expect(report.byClient).toEqual(page.clients.slice(0, 2));
        if (page.clients.length > 2) {
          expect(report.otherClients!.clients).toBe(page.clients.length - 2);
          expect(report.otherClients!.requests).toBe(
            page.clients.slice(2).reduce((s, c) => s + c.requests, 0),
          );
        } else expect(report.otherClients).toBeNull();

        // By day, from the organization-level rollup.
        const days = [...new Set(inPeriod.map((r) => r.day))].sort();
        expect(report.byDay.map((d) => [d.day, d.requests])).toEqual(
          days.map((d) => [
            d,
            sum(
              inPeriod.filter((r) => r.day === d),
              "requests",
            ),
          ]),
        );

        // Percentiles from the merged histograms: the same as from the period's daily buckets.
        const buckets: Record<number, number> = {};
        for (const l of latency.filter((x) => x.day >= from && x.day <= to))
          buckets[l.bucket] = (buckets[l.bucket] ?? 0) + l.count;
        expect(report.performance.p95Ms).toBe(percentileFromBuckets(buckets, 0.95));
      }),
      { numRuns: 12, endOnFailure: true },
    );
  });

  it("pages through the clients with a cursor, each once", async () => {
    const member = await tenant.as("member");
    const seen: Array<string | null> = [];
    let cursor: number | undefined;
    do {
      const page = await member.platform.usageByClient.query({ from: FIRST, to: LAST, limit: 2, cursor });
      expect(page.clients.length).toBeLessThanOrEqual(2);
      seen.push(...page.clients.map((c) => c.clientId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(seen).toHaveLength(5); // four clients and the organization's own requests
    expect(new Set(seen).size).toBe(5);
    const names = (await member.platform.usageByClient.query({ from: FIRST, to: LAST, limit: 5 })).clients;
    expect(names.find((c) => c.clientId === null)?.clientName).toBeNull();
    expect(names.filter((c) => c.clientName?.startsWith("Couple "))).toHaveLength(4);
  });
});
