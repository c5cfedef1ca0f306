import type { RunningServer } from "@wedsync/api/server";
import { aiPlatformConfigs, toMicros } from "@wedsync/core";
import { and, eq, or, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { overridesExceedingPlatform, snapshotOrganization } from "./harness/queries";
import { startTestServer } from "./harness/server";
import { createStaffUser, createTenant } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("platform.config", () => {
  it("get lists every feature with the brief's defaults and what the tier allows", async () => {
    const t = await createTenant(server, { tier: "professional" });
    const config = await (await t.as("member")).platform.config.get.query();
    expect(config.organization).toMatchObject({ id: t.organizationId, tier: "professional" });
    expect(
      config.features.map((f) => [f.featureType, f.isEnabled, f.availableOnTier, f.requiredTier]),
    ).toEqual([
      ["pdf_analysis", true, true, "professional"],
      ["field_extraction", true, true, "free"],
      ["smart_mapping", false, false, "enterprise"],
    ]);
    for (const f of config.features) {
      expect(f).toMatchObject({
        maxRequestsPerDay: 1000,
        maxCostPerDay: "50.00",
        priorityLevel: 1,
        rateLimitPerMinute: 60,
        version: 1,
      });
    }
  });

  it("update applies the patch, bumps the version and writes an audit row", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const { config } = await admin.platform.config.update.mutate({
      featureType: "pdf_analysis",
      expectedVersion: 1,
      patch: { maxRequestsPerDay: 250, maxCostPerDay: "12.5", model: "gpt-4.1-mini" },
    });
    expect(config).toMatchObject({
      maxRequestsPerDay: 250,
      maxCostPerDay: "12.50",
      model: "gpt-4.1-mini",
      version: 2,
    });
    const audit = await admin.platform.audit.list.query({});
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      entityKind: "platform_config",
      entityId: config.id,
      action: "update",
      version: 2,
      before: { maxRequestsPerDay: 1000, maxCostPerDay: "50.00", model: "gpt-4o-mini" },
      after: { maxRequestsPerDay: 250, maxCostPerDay: "12.50", model: "gpt-4.1-mini" },
    });
    expect(audit.entries[0]?.actorUserId).toBeTruthy();
    // Names to show with the entry: the person who made it (no key, no client here).
    expect(audit.entries[0]).toMatchObject({
      actorName: `admin of ${t.slug}`,
      apiKeyName: null,
      clientName: null,
    });

    // A client-level change made with an API key names the key and the client.
    const { client: key } = await t.apiKey("admin");
    await key.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "pdf_analysis",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 10 },
    });
    const [latest] = (await admin.platform.audit.list.query({})).entries;
    expect(latest).toMatchObject({
      entityKind: "client_config",
      actorUserId: null,
      actorName: null,
      apiKeyName: "admin key",
      clientName: `Couple 0 of ${t.slug}`,
    });
  });

  it("saving what is already stored is not a change: same version, no audit entry", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const same = await admin.platform.config.update.mutate({
      featureType: "pdf_analysis",
      expectedVersion: 1,
      patch: { maxRequestsPerDay: 1000, maxCostPerDay: "50", isEnabled: true },
    });
    expect(same.config.version).toBe(1);
    expect((await admin.platform.audit.list.query()).entries).toEqual([]);
    const member = await t.as("member");
    const input = { clientId: t.clientIds[0]!, featureType: "pdf_analysis" as const };
    await member.clients.config.update.mutate({
      ...input,
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 9 },
    });
    const again = await member.clients.config.update.mutate({
      ...input,
      expectedVersion: 1,
      overrides: { maxRequestsPerDay: 9 },
    });
    expect(again.override.version).toBe(1);
    expect((await admin.platform.audit.list.query()).entries).toHaveLength(1);
  });

  it("a stale version is a CONFLICT that carries the current row, and changes nothing", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { priorityLevel: 3 },
    });
    const before = await snapshotOrganization(server, t.organizationId);
    const e = await expectError(
      admin.platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: 1,
        patch: { priorityLevel: 5 },
      }),
      "CONFLICT",
    );
    expect(e.data?.details).toMatchObject({
      current: { featureType: "field_extraction", priorityLevel: 3, version: 2 },
    });
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
  });

  it("enabling a feature above the tier is FORBIDDEN and names the tier needed", async () => {
    const t = await createTenant(server, { tier: "free" });
    const owner = await t.as("owner");
    const e = await expectError(
      owner.platform.config.update.mutate({
        featureType: "smart_mapping",
        expectedVersion: 1,
        patch: { isEnabled: true },
      }),
      "FORBIDDEN",
    );
    expect(e.message).toContain("requires the enterprise tier");
    const config = await owner.platform.config.get.query();
    expect(config.features.find((f) => f.featureType === "smart_mapping")).toMatchObject({
      isEnabled: false,
      version: 1,
    });
  });

  it("tightening cascades to client overrides in the same transaction, audited per client", async () => {
    const t = await createTenant(server, { clients: 3 });
    const admin = await t.as("admin");
    const member = await t.as("member");
    const [a, b, c] = t.clientIds;
    await member.clients.config.update.mutate({
      clientId: a!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 800, maxCostPerDay: "40.00" },
    });
    await member.clients.config.update.mutate({
      clientId: b!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 100, isEnabled: true },
    });
    await member.clients.config.update.mutate({
      clientId: c!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { rateLimitPerMinute: 30 },
    });

    const result = await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { maxRequestsPerDay: 300, maxCostPerDay: "20.00", rateLimitPerMinute: 10 },
    });
    // a (requests, cost) and c (rate) exceeded the new limits; b (100 a day, enabled) did not.
    expect(result.cascadedClientConfigs).toBe(2);

    // Checked by query: no override exceeds the new platform limits.
    const exceeding = await overridesExceedingPlatform(server, t.organizationId);
    expect(exceeding).toEqual([]);

    const cfgA = await member.clients.config.get.query({ clientId: a! });
    const fa = cfgA.features.find((f) => f.featureType === "field_extraction")!;
    expect(fa.override?.overrides).toEqual({
      isEnabled: null,
      maxRequestsPerDay: 300,
      maxCostPerDay: "20.00",
      rateLimitPerMinute: null,
    });
    expect(fa.version).toBe(2);
    const cfgB = await member.clients.config.get.query({ clientId: b! });
    expect(cfgB.features.find((f) => f.featureType === "field_extraction")).toMatchObject({
      version: 1,
      override: { overrides: { maxRequestsPerDay: 100, isEnabled: true } },
    });

    const audit = await admin.platform.audit.list.query({});
    expect(audit.entries.filter((e) => e.action === "cascade_clamp")).toHaveLength(2);
  });

  it("disabling a feature clears clients' explicit enables and disables it for every client", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "smart_mapping",
      expectedVersion: 0,
      overrides: { isEnabled: true },
    });
    await admin.platform.config.update.mutate({
      featureType: "smart_mapping",
      expectedVersion: 1,
      patch: { isEnabled: false },
    });
    const cfg = await admin.clients.config.get.query({ clientId: t.clientIds[0]! });
    const f = cfg.features.find((x) => x.featureType === "smart_mapping")!;
    expect(f.effective).toMatchObject({ isEnabled: false, disabledBy: "platform" });
    expect(f.override?.overrides.isEnabled).toBeNull();
  });

  it("rollback restores an audited state as a new, audited change", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const v2 = await admin.platform.config.update.mutate({
      featureType: "pdf_analysis",
      expectedVersion: 1,
      patch: { maxRequestsPerDay: 500 },
    });
    await admin.platform.config.update.mutate({
      featureType: "pdf_analysis",
      expectedVersion: 2,
      patch: { maxRequestsPerDay: 5, model: "gpt-4o" },
    });
    const history = await admin.platform.audit.list.query({ entityId: v2.config.id });
    const atV2 = history.entries.find((e) => e.version === 2)!;

    const rolled = await admin.platform.config.rollback.mutate({ auditId: atV2.id, expectedVersion: 3 });
    expect(rolled.config).toMatchObject({ maxRequestsPerDay: 500, model: "gpt-4o-mini", version: 4 });
    const after = await admin.platform.audit.list.query({ entityId: v2.config.id });
    expect(after.entries[0]).toMatchObject({
      action: "rollback",
      version: 4,
      before: { maxRequestsPerDay: 5 },
      after: { maxRequestsPerDay: 500 },
    });

    await expectError(
      admin.platform.config.rollback.mutate({ auditId: atV2.id, expectedVersion: 3 }),
      "CONFLICT",
    );
    await expectError(
      admin.platform.config.rollback.mutate({ auditId: 999_999_999, expectedVersion: 4 }),
      "NOT_FOUND",
    );
  });

  it("audit.list pages with a cursor, newest first", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    for (let v = 1; v <= 5; v++) {
      await admin.platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: v,
        patch: { priorityLevel: (v % 3) + 1 },
      });
    }
    const first = await admin.platform.audit.list.query({ limit: 2 });
    expect(first.entries.map((e) => e.version)).toEqual([6, 5]);
    const second = await admin.platform.audit.list.query({ limit: 2, cursor: first.nextCursor! });
    expect(second.entries.map((e) => e.version)).toEqual([4, 3]);
    const last = await admin.platform.audit.list.query({ limit: 2, cursor: second.nextCursor! });
    expect(last.entries.map((e) => e.version)).toEqual([2]);
    expect(last.nextCursor).toBeNull();
  });
});

describe("platform.features.toggle", () => {
  it("toggles several features of one organization at once", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    const res = await admin.platform.features.toggle.mutate({
      toggles: [
        { featureType: "pdf_analysis", isEnabled: false },
        { featureType: "smart_mapping", isEnabled: false },
      ],
    });
    expect(res.changed.map((c) => [c.featureType, c.isEnabled, c.version])).toEqual([
      ["pdf_analysis", false, 2],
      ["smart_mapping", false, 2],
    ]);
    const cfg = await admin.platform.config.get.query();
    expect(cfg.features.map((f) => f.isEnabled)).toEqual([false, true, false]);
    // Toggling to the state it is already in changes nothing.
    const again = await admin.platform.features.toggle.mutate({
      toggles: [{ featureType: "pdf_analysis", isEnabled: false }],
    });
    expect(again.changed).toEqual([]);
  });

  it("staff toggle several organizations in one transaction: all or nothing", async () => {
    const staff = await createStaffUser(server);
    const pro = await createTenant(server, { tier: "professional" });
    const ent = await createTenant(server, { tier: "enterprise" });
    const free = await createTenant(server, { tier: "free" });

    const ok = await staff.platform.features.toggle.mutate({
      organizationIds: [pro.organizationId, ent.organizationId],
      toggles: [{ featureType: "pdf_analysis", isEnabled: false }],
    });
    expect(ok.changed).toHaveLength(2);

    const before = await Promise.all(
      [pro, ent, free].map((t) => snapshotOrganization(server, t.organizationId)),
    );
    const e = await expectError(
      staff.platform.features.toggle.mutate({
        organizationIds: [pro.organizationId, ent.organizationId, free.organizationId],
        toggles: [{ featureType: "pdf_analysis", isEnabled: true }],
      }),
      "FORBIDDEN",
    );
    expect(e.message).toContain(free.organizationId);
    const after = await Promise.all(
      [pro, ent, free].map((t) => snapshotOrganization(server, t.organizationId)),
    );
    expect(after).toEqual(before);
  });
});

describe("money stays exact", () => {
  it("stores cost caps as exact decimals", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.platform.config.update.mutate({
      featureType: "pdf_analysis",
      expectedVersion: 1,
      patch: { maxCostPerDay: 0.1 },
    });
    await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { maxCostPerDay: 0.2 },
    });
    const [row] = await server.services.db
      .select({ total: sql<string>`sum(${aiPlatformConfigs.maxCostPerDay})::text` })
      .from(aiPlatformConfigs)
      .where(
        and(
          eq(aiPlatformConfigs.organizationId, t.organizationId),
          or(
            eq(aiPlatformConfigs.featureType, "pdf_analysis"),
            eq(aiPlatformConfigs.featureType, "field_extraction"),
          ),
        ),
      );
    expect(toMicros(row!.total)).toBe(300_000n); // 0.1 + 0.2 is exactly 0.30 here
  });
});
