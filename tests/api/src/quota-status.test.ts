/**
 * usage.byFeature: requests and spend per feature from the daily counters admission checks the
 * caps against, day by day or month by month, with response times per feature and the newest
 * usage event already counted (what a live quota meter needs to add events exactly once).
 */
import type { RunningServer } from "@wedsync/api/server";
import {
  aiDailyCounters,
  bucketsFromLatencies,
  dayInTimezone,
  fromMicros,
  percentileFromBuckets,
} from "@wedsync/core";
import type { FakeOpenAI } from "@wedsync/fake-openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
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

describe("usage.byFeature", () => {
  it("counts today's requests and spend per feature exactly as admission does, and the last event counted", async () => {
    const t = await createTenant(server, { clients: 2, timezone: "Pacific/Auckland" });
    const member = await t.as("member");
    const usages = [
      { prompt_tokens: 1_200, completion_tokens: 300, cached_tokens: 0 },
      { prompt_tokens: 800, completion_tokens: 100, cached_tokens: 0 },
      { prompt_tokens: 2_000, completion_tokens: 900, cached_tokens: 0 },
    ];
    for (const [i, usage] of usages.entries()) {
      fake.setBehavior({ kind: "ok", usage });
      await (i === 2
        ? member.clients.process.mutate({
            clientId: t.clientIds[0]!,
            featureType: "smart_mapping",
            input: { sourceFields: [{ name: "date", value: "2027-06-12" }], targetLabels: ["Event date"] },
          })
        : member.clients.process.mutate({
            clientId: t.clientIds[0]!,
            featureType: "field_extraction",
            input: { text: `Request ${i}: Emma & Liam` },
          }));
    }
    const rows = await usageRows(server, t.organizationId);
    expect(rows).toHaveLength(3);
    const today = dayInTimezone(new Date(), "Pacific/Auckland");
    expect(rows.every((r) => r.quotaDay === today)).toBe(true);
    const spent = (feature: string) =>
      fromMicros(
        rows.filter((r) => r.featureType === feature).reduce((s, r) => s + micros(r.costUsd), 0n),
        6,
      );

    const report = await member.usage.byFeature.query({ from: today, to: today });
    expect(report).toMatchObject({ today, timezone: "Pacific/Auckland", by: "day" });
    expect(report.lastEventSeq).toBe(Math.max(...rows.map((r) => r.eventSeq!)));
    const fe = report.features.find((f) => f.featureType === "field_extraction")!;
    expect(fe).toMatchObject({ requests: 2, spentUsd: spent("field_extraction"), reservedUsd: "0.000000" });
    expect(micros(fe.spentUsd)).toBeGreaterThan(0n);
    expect(report.features.find((f) => f.featureType === "pdf_analysis")).toMatchObject({
      requests: 0,
      spentUsd: "0.000000",
      p50Ms: null,
    });
    expect(report.rows).toEqual([
      {
        period: today,
        featureType: "field_extraction",
        requests: 2,
        spentUsd: spent("field_extraction"),
        reservedUsd: "0.000000",
      },
      {
        period: today,
        featureType: "smart_mapping",
        requests: 1,
        spentUsd: spent("smart_mapping"),
        reservedUsd: "0.000000",
      },
    ]);
    const times = rows
      .filter((r) => r.featureType === "field_extraction")
      .map((r) => r.processingTimeMs ?? 0);
    const buckets = bucketsFromLatencies(times);
    expect(fe.p50Ms).toBe(Math.round(percentileFromBuckets(buckets, 0.5)! * 100) / 100);
    expect(fe.p99Ms).toBe(Math.round(percentileFromBuckets(buckets, 0.99)! * 100) / 100);

    // The counters are the caps' own: the client-level rows do not count twice.
    const counters = await server.services.db.select().from(aiDailyCounters);
    const mine = counters.filter((c) => c.day === today && c.featureType === "field_extraction");
    expect(mine.filter((c) => c.scope !== "org").length).toBeGreaterThan(0);
  });

  it("groups days into months over three years of history, organization-wide rows only", async () => {
    const t = await createTenant(server);
    const other = await createTenant(server);
    const member = await t.as("member");
    const row = (organizationId: string, day: string, scope: string, requests: number, spent: bigint) => ({
      organizationId,
      featureType: "field_extraction" as const,
      scope,
      day,
      requests,
      spentMicros: spent,
    });
    await server.services.db.insert(aiDailyCounters).values([
      row(t.organizationId, "2024-06-03", "org", 10, 1_500_000n),
      row(t.organizationId, "2024-06-20", "org", 5, 250_001n),
      row(t.organizationId, "2024-06-20", t.clientIds[0]!, 5, 250_001n),
      row(t.organizationId, "2026-01-31", "org", 1, 1n),
      { ...row(t.organizationId, "2026-01-31", "org", 2, 20n), featureType: "pdf_analysis" as const },
      row(t.organizationId, "2027-02-01", "org", 99, 99n), // after the period
      row(other.organizationId, "2024-06-03", "org", 7, 7n), // another organization
    ]);

    const monthly = await member.usage.byFeature.query({ from: "2024-02-01", to: "2027-01-31", by: "month" });
    expect(monthly.rows).toEqual([
      {
        period: "2024-06",
        featureType: "field_extraction",
        requests: 15,
        spentUsd: "1.750001",
        reservedUsd: "0.000000",
      },
      {
        period: "2026-01",
        featureType: "pdf_analysis",
        requests: 2,
        spentUsd: "0.000020",
        reservedUsd: "0.000000",
      },
      {
        period: "2026-01",
        featureType: "field_extraction",
        requests: 1,
        spentUsd: "0.000001",
        reservedUsd: "0.000000",
      },
    ]);
    expect(monthly.features.find((f) => f.featureType === "field_extraction")).toMatchObject({
      requests: 16,
      spentUsd: "1.750002",
    });
    expect(monthly.lastEventSeq).toBe(0);

    const daily = await member.usage.byFeature.query({ from: "2024-06-01", to: "2024-06-30" });
    expect(daily.rows.map((r) => [r.period, r.requests, r.spentUsd])).toEqual([
      ["2024-06-03", 10, "1.500000"],
      ["2024-06-20", 5, "0.250001"],
    ]);
  });

  it("refuses a period that runs backwards or is too long for its grouping, naming the field", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    for (const input of [
      { from: "2026-06-10", to: "2026-06-01" },
      { from: "2025-01-01", to: "2026-02-05" }, // 401 days, day by day
      { from: "2023-01-01", to: "2026-02-05", by: "month" as const },
    ]) {
      await expect(member.usage.byFeature.query(input)).rejects.toMatchObject({
        data: { code: "BAD_REQUEST", fieldErrors: [expect.objectContaining({ field: "to" })] },
      });
    }
    await expect(
      member.usage.byFeature.query({ from: "2026-02-30", to: "2026-03-01" }),
    ).rejects.toMatchObject({
      data: { code: "BAD_REQUEST", fieldErrors: [expect.objectContaining({ field: "from" })] },
    });
  });

  it("is the organization's own: another organization's id is not found", async () => {
    const t = await createTenant(server);
    const other = await createTenant(server);
    const member = await t.as("member");
    await expectError(
      member.usage.byFeature.query({
        organizationId: other.organizationId,
        from: "2026-01-01",
        to: "2026-01-31",
      }),
      "NOT_FOUND",
    );
  });
});
