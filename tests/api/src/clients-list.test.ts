/**
 * clients.list as the supplier app's client list reads it: each client's effective configuration
 * per feature and its usage this month (the organization's month), and how many clients match,
 * in one call rather than one per client.
 */
import type { RunningServer } from "@wedsync/api/server";
import { addDays, dayInTimezone, monthToDate } from "@wedsync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant, type Tenant } from "./harness/tenant";
import { recordUsage } from "./harness/usage";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function usageOn(t: Tenant, client: number, day: string, costUsd: string, status = "succeeded") {
  await recordUsage(server, [
    {
      organizationId: t.organizationId,
      clientId: t.clientIds[client]!,
      featureType: "field_extraction",
      status: status as "succeeded" | "rejected",
      costUsd: status === "rejected" ? null : costUsd,
      model: "gpt-4o-mini",
      provider: "openai",
      quotaDay: day,
      createdAt: new Date(`${day}T12:00:00Z`),
    },
  ]);
}

describe("clients.list: effective settings and usage this month", () => {
  it("gives each client its effective configuration per feature, with the override and version behind it", async () => {
    const t = await createTenant(server, { clients: 3 });
    const member = await t.as("member");
    await member.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 200, maxCostPerDay: "10" },
    });
    await member.clients.config.update.mutate({
      clientId: t.clientIds[1]!,
      featureType: "smart_mapping",
      expectedVersion: 0,
      overrides: { isEnabled: false },
    });

    const list = await member.clients.list.query({});
    const byId = new Map(list.clients.map((c) => [c.id, c]));
    // The same answer clients.config.get gives, client by client.
    for (const id of t.clientIds) {
      const single = await member.clients.config.get.query({ clientId: id });
      const row = byId.get(id)!;
      expect(row.features.map((f) => f.featureType)).toEqual(single.features.map((f) => f.featureType));
      row.features.forEach((f, i) => {
        expect(f.effective).toEqual(single.features[i]!.effective);
        expect(f.version).toBe(single.features[i]!.version);
        expect(f.override).toEqual(single.features[i]!.override?.overrides ?? null);
      });
    }
    const first = byId.get(t.clientIds[0]!)!.features.find((f) => f.featureType === "field_extraction")!;
    expect(first).toMatchObject({
      version: 1,
      override: { maxRequestsPerDay: 200, maxCostPerDay: "10.00", isEnabled: null },
      effective: {
        maxRequestsPerDay: 200,
        maxCostPerDay: "10.00",
        inherited: {
          isEnabled: true,
          maxRequestsPerDay: false,
          maxCostPerDay: false,
          rateLimitPerMinute: true,
        },
      },
    });
    const second = byId.get(t.clientIds[1]!)!.features.find((f) => f.featureType === "smart_mapping")!;
    expect(second.effective).toMatchObject({ isEnabled: false, disabledBy: "client" });
    const third = byId.get(t.clientIds[2]!)!;
    expect(third.features.every((f) => f.version === 0 && f.override === null)).toBe(true);
  });

  it("counts usage this month in the organization's timezone, not last month's or other clients'", async () => {
    const timezone = "Pacific/Kiritimati"; // UTC+14: its month can differ from UTC's
    const t = await createTenant(server, { clients: 3, timezone });
    const today = dayInTimezone(new Date(), timezone);
    const month = monthToDate(today);
    const lastMonth = addDays(month.from, -1);
    await usageOn(t, 0, today, "0.125");
    await usageOn(t, 0, month.from, "1.000001");
    await usageOn(t, 0, today, "0", "rejected");
    await usageOn(t, 0, lastMonth, "50.00"); // not this month
    await usageOn(t, 1, lastMonth, "2.00"); // only last month

    const member = await t.as("member");
    const list = await member.clients.list.query({});
    expect(list.month).toEqual(month);
    const byId = new Map(list.clients.map((c) => [c.id, c.usageThisMonth]));
    expect(byId.get(t.clientIds[0]!)).toEqual({ requests: 2, rejected: 1, costUsd: "1.125001" });
    expect(byId.get(t.clientIds[1]!)).toEqual({ requests: 0, rejected: 0, costUsd: "0.000000" });
    expect(byId.get(t.clientIds[2]!)).toEqual({ requests: 0, rejected: 0, costUsd: "0.000000" });

    // The same figures platform.usageByClient gives for the month to date.
    const report = await member.platform.usageByClient.query(month);
    const fromReport = report.clients.find((c) => c.clientId === t.clientIds[0]);
    expect(fromReport).toMatchObject({ requests: 2, costUsd: "1.125001" });
  });

  it("total counts every client matching the search and status, on every page", async () => {
    const t = await createTenant(server, { clients: 5 });
    const member = await t.as("member");
    const page1 = await member.clients.list.query({ limit: 2 });
    expect(page1.total).toBe(5);
    expect(page1.clients).toHaveLength(2);
    const page2 = await member.clients.list.query({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.total).toBe(5);
    expect((await member.clients.list.query({ search: "Couple 3" })).total).toBe(1);
    expect((await member.clients.list.query({ status: "booked" })).total).toBe(0);
    const none = await member.clients.list.query({ search: "nobody" });
    expect(none).toMatchObject({ clients: [], total: 0, nextCursor: null });
    // Another organization's clients never count.
    const other = await createTenant(server, { clients: 2 });
    expect(other.organizationId).not.toBe(t.organizationId);
    expect((await member.clients.list.query({})).total).toBe(5);
  });
});
