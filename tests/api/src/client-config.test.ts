import type { RunningServer } from "@wedsync/api/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { snapshotOrganization } from "./harness/queries";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("clients.list", () => {
  it("lists the organization's clients, searchable and paged", async () => {
    const t = await createTenant(server, { clients: 5 });
    const member = await t.as("member");
    const all = await member.clients.list.query({});
    expect(all.clients.map((c) => c.id).sort()).toEqual([...t.clientIds].sort());
    const page1 = await member.clients.list.query({ limit: 2 });
    const page2 = await member.clients.list.query({ limit: 2, cursor: page1.nextCursor! });
    const page3 = await member.clients.list.query({ limit: 2, cursor: page2.nextCursor! });
    expect([...page1.clients, ...page2.clients, ...page3.clients].map((c) => c.id)).toEqual(
      all.clients.map((c) => c.id),
    );
    expect(page3.nextCursor).toBeNull();
    const found = await member.clients.list.query({ search: "Couple 3" });
    expect(found.clients).toHaveLength(1);
    // LIKE wildcards in the search are matched literally.
    expect((await member.clients.list.query({ search: "%" })).clients).toHaveLength(0);
  });
});

describe("clients.config", () => {
  it("get: with no overrides everything is inherited from the platform", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const cfg = await member.clients.config.get.query({ clientId: t.clientIds[0]! });
    expect(cfg.client.id).toBe(t.clientIds[0]);
    expect(cfg.features).toHaveLength(3);
    for (const f of cfg.features) {
      expect(f.override).toBeNull();
      expect(f.version).toBe(0);
      expect(f.inherited).toEqual({
        isEnabled: true,
        maxRequestsPerDay: true,
        maxCostPerDay: true,
        rateLimitPerMinute: true,
      });
      expect(f.effective.maxRequestsPerDay).toBe(f.platform.maxRequestsPerDay);
    }
  });

  it("update: a member tightens limits; the effective config and inherited flags follow", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const res = await member.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "pdf_analysis",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 20, maxCostPerDay: "2.5" },
      featureSettings: { confidenceThreshold: 0.7, excludedFields: ["budget"] },
      customPrompts: { instructions: "Dates are written day first.", tone: "warm" },
      processingPreferences: { dateFormat: "DD/MM/YYYY", currency: "GBP" },
    });
    expect(res.override.version).toBe(1);
    expect(res.effective).toMatchObject({
      maxRequestsPerDay: 20,
      maxCostPerDay: "2.50",
      rateLimitPerMinute: 60,
      isEnabled: true,
    });

    const cfg = await member.clients.config.get.query({ clientId: t.clientIds[0]! });
    const pdf = cfg.features.find((f) => f.featureType === "pdf_analysis")!;
    expect(pdf.inherited).toEqual({
      isEnabled: true,
      maxRequestsPerDay: false,
      maxCostPerDay: false,
      rateLimitPerMinute: true,
    });
    expect(pdf.override).toMatchObject({
      featureSettings: { confidenceThreshold: 0.7, excludedFields: ["budget"] },
      customPrompts: { instructions: "Dates are written day first.", tone: "warm" },
      processingPreferences: { dateFormat: "DD/MM/YYYY", currency: "GBP" },
    });
    // Only this client changed.
    const other = await member.clients.config.get.query({ clientId: t.clientIds[1]! });
    expect(other.features.every((f) => f.override === null)).toBe(true);

    // null clears an override: back to inheriting.
    const cleared = await member.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "pdf_analysis",
      expectedVersion: 1,
      overrides: { maxRequestsPerDay: null },
    });
    expect(cleared.effective.maxRequestsPerDay).toBe(1000);
    expect(cleared.override.overrides).toMatchObject({ maxRequestsPerDay: null, maxCostPerDay: "2.50" });
  });

  it("rejects overrides above the platform's limits, naming each field, and writes nothing", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.platform.config.update.mutate({
      featureType: "smart_mapping",
      expectedVersion: 1,
      patch: { isEnabled: false },
    });
    const before = await snapshotOrganization(server, t.organizationId);
    const member = await t.as("member");
    const e = await expectError(
      member.clients.config.update.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        expectedVersion: 0,
        overrides: { maxRequestsPerDay: 5000, maxCostPerDay: "75.00", rateLimitPerMinute: 61 },
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e).sort()).toEqual([
      "overrides.maxCostPerDay",
      "overrides.maxRequestsPerDay",
      "overrides.rateLimitPerMinute",
    ]);
    expect(e.message).toContain("exceeds the platform limit of 1000");

    const disabled = await expectError(
      member.clients.config.update.mutate({
        clientId: t.clientIds[0]!,
        featureType: "smart_mapping",
        expectedVersion: 0,
        overrides: { isEnabled: true },
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(disabled)).toEqual(["overrides.isEnabled"]);
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
  });

  it("a stale version is a CONFLICT carrying the current override", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const admin = await t.as("admin");
    const input = { clientId: t.clientIds[0]!, featureType: "field_extraction" as const, expectedVersion: 0 };
    await member.clients.config.update.mutate({ ...input, overrides: { maxRequestsPerDay: 10 } });
    const e = await expectError(
      admin.clients.config.update.mutate({ ...input, overrides: { maxRequestsPerDay: 20 } }),
      "CONFLICT",
    );
    expect(e.data?.details).toMatchObject({
      currentVersion: 1,
      current: { overrides: { maxRequestsPerDay: 10 }, version: 1 },
    });
  });

  it("an unknown client and another organization's client are both NOT_FOUND", async () => {
    const a = await createTenant(server);
    const b = await createTenant(server);
    const member = await a.as("member");
    const unknown = await expectError(
      member.clients.config.get.query({ clientId: "00000000-0000-4000-8000-000000000000" }),
      "NOT_FOUND",
    );
    const foreign = await expectError(
      member.clients.config.get.query({ clientId: b.clientIds[0]! }),
      "NOT_FOUND",
    );
    expect(foreign.message).toBe(unknown.message);
  });
});
