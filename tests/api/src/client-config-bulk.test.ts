/**
 * clients.config.bulkUpdate: several clients' overrides of one feature in one transaction, all or
 * nothing, each change checked, written, audited and published exactly like clients.config.update.
 */
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, type RouterOutputs } from "@wedsync/client";
import { aiConfigAudit } from "@wedsync/core";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { snapshotOrganization } from "./harness/queries";
import { startTestServer } from "./harness/server";
import { subscribe } from "./harness/subscriptions";
import { createTenant, type SessionClient } from "./harness/tenant";

type ConfigChange = RouterOutputs["clients"]["onConfigChange"] extends AsyncIterable<infer T> ? T : never;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function auditRowsOf(organizationId: string) {
  return server.services.db
    .select()
    .from(aiConfigAudit)
    .where(eq(aiConfigAudit.organizationId, organizationId))
    .orderBy(asc(aiConfigAudit.id));
}

async function versionsOf(member: SessionClient, clientIds: string[], featureType: string) {
  const out: number[] = [];
  for (const clientId of clientIds) {
    const cfg = await member.clients.config.get.query({ clientId });
    out.push(cfg.features.find((f) => f.featureType === featureType)!.version);
  }
  return out;
}

/** Clients 0 and 1 get a field_extraction override (version 1); client 2 has none (version 0). */
async function tenantWithOverrides() {
  const t = await createTenant(server, { clients: 3 });
  const member = await t.as("member");
  for (const clientId of t.clientIds.slice(0, 2)) {
    await member.clients.config.update.mutate({
      clientId,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 10 },
    });
  }
  return { t, member, ids: t.clientIds };
}

describe("clients.config.bulkUpdate", () => {
  it("updates three clients at once: versions bumped, one audit row and one change event each", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const me = await member.auth.me.query();
    const userId = me.kind === "user" ? me.user.id : "";
    const auditBefore = await auditRowsOf(t.organizationId);
    expect(auditBefore).toHaveLength(2);

    const subs = ids.map((clientId) =>
      subscribe<ConfigChange>((h) => member.clients.onConfigChange.subscribe({ clientId }, h)),
    );
    await Promise.all(subs.map((s) => s.started));

    const res = await member.clients.config.bulkUpdate.mutate({
      featureType: "field_extraction",
      changes: [
        { clientId: ids[2]!, expectedVersion: 0, overrides: { maxRequestsPerDay: 30 } },
        { clientId: ids[0]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 5, maxCostPerDay: "1.5" } },
        { clientId: ids[1]!, expectedVersion: 1, overrides: { maxRequestsPerDay: null, isEnabled: false } },
      ],
    });

    // In input order, shaped like clients.config.update's result.
    expect(res.map((r) => r.override.clientId)).toEqual([ids[2], ids[0], ids[1]]);
    expect(res.map((r) => r.override.version)).toEqual([1, 2, 2]);
    expect(res[0]!.effective).toMatchObject({ maxRequestsPerDay: 30, rateLimitPerMinute: 60 });
    expect(res[1]!.effective).toMatchObject({ maxRequestsPerDay: 5, maxCostPerDay: "1.50" });
    expect(res[2]!.effective).toMatchObject({ maxRequestsPerDay: 1000, isEnabled: false });
    expect(res[2]!.override.overrides).toMatchObject({ maxRequestsPerDay: null, isEnabled: false });
    expect(await versionsOf(member, ids, "field_extraction")).toEqual([2, 2, 1]);

    const audit = (await auditRowsOf(t.organizationId)).slice(auditBefore.length);
    expect(audit).toHaveLength(3);
    const byClient = new Map(audit.map((a) => [a.clientId, a]));
    expect(byClient.get(ids[2]!)).toMatchObject({
      entityKind: "client_config",
      action: "create",
      before: null,
      after: { featureType: "field_extraction", overrides: { maxRequestsPerDay: 30 } },
      version: 1,
      actorUserId: userId,
      actorApiKeyId: null,
    });
    expect(byClient.get(ids[0]!)).toMatchObject({
      action: "update",
      before: { featureType: "field_extraction", overrides: { maxRequestsPerDay: 10 } },
      after: { overrides: { maxRequestsPerDay: 5, maxCostPerDay: "1.50" } },
      version: 2,
      actorUserId: userId,
    });
    // The same audit row shape as a single update writes.
    const single = auditBefore[0]!;
    for (const row of audit) {
      expect(Object.keys(row).sort()).toEqual(Object.keys(single).sort());
      expect(Object.keys(row.after).sort()).toEqual(Object.keys(single.after).sort());
    }

    // Each client's stream carries exactly its own change.
    const events = await Promise.all(subs.map((s) => s.waitFor(1)));
    ids.forEach((clientId, i) => {
      expect(events[i]!.map((e) => e.data.clientId)).toEqual([clientId]);
      expect(events[i]![0]!.id).toBe(String(byClient.get(clientId)!.id));
    });
    expect(events[2]![0]!.data).toMatchObject({ action: "create", version: 1, actorUserId: userId });
    // Nothing else arrives for them: a later single change to client 0 is the next event there.
    await member.clients.config.update.mutate({
      clientId: ids[0]!,
      featureType: "field_extraction",
      expectedVersion: 2,
      overrides: { maxRequestsPerDay: 4 },
    });
    const next = await subs[0]!.waitFor(2);
    expect(next.map((e) => e.data.version)).toEqual([2, 3]);
    for (const s of subs) s.stop();
  });

  it("a change that stores what is already stored writes nothing for that client, as update does", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const auditBefore = (await auditRowsOf(t.organizationId)).length;
    const res = await member.clients.config.bulkUpdate.mutate({
      featureType: "field_extraction",
      changes: [
        { clientId: ids[0]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 10 } }, // unchanged
        { clientId: ids[1]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 11 } },
      ],
    });
    expect(res.map((r) => r.override.version)).toEqual([1, 2]);
    const audit = (await auditRowsOf(t.organizationId)).slice(auditBefore);
    expect(audit.map((a) => a.clientId)).toEqual([ids[1]]);
  });

  it("one stale version: CONFLICT listing the current row of that client, and nothing written", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const before = await snapshotOrganization(server, t.organizationId);
    const e = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: [
          { clientId: ids[0]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 5 } },
          { clientId: ids[1]!, expectedVersion: 0, overrides: { maxRequestsPerDay: 6 } },
          { clientId: ids[2]!, expectedVersion: 0, overrides: { maxRequestsPerDay: 7 } },
        ],
      }),
      "CONFLICT",
    );
    expect(e.message).toContain(ids[1]);
    expect(e.data?.details).toEqual({
      conflicts: [
        {
          index: 1,
          clientId: ids[1],
          currentVersion: 1,
          current: expect.objectContaining({ clientId: ids[1], version: 1 }),
        },
      ],
    });
    expect(e.data?.details).toMatchObject({
      conflicts: [{ current: { overrides: { maxRequestsPerDay: 10 } } }],
    });
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
    expect(await versionsOf(member, ids, "field_extraction")).toEqual([1, 1, 0]);
  });

  it("one override above the platform's limit: BAD_REQUEST naming changes.1.overrides.maxRequestsPerDay, nothing written", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const before = await snapshotOrganization(server, t.organizationId);
    const e = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: [
          { clientId: ids[0]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 5 } },
          { clientId: ids[1]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 5000 } },
          { clientId: ids[2]!, expectedVersion: 0, overrides: { rateLimitPerMinute: 60 } }, // equal is allowed
        ],
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e)).toEqual(["changes.1.overrides.maxRequestsPerDay"]);
    expect(e.message).toContain("exceeds the platform limit of 1000");
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);

    // Several violations are all named, each under its own change.
    const many = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: [
          { clientId: ids[0]!, expectedVersion: 1, overrides: { maxCostPerDay: "75.00" } },
          { clientId: ids[2]!, expectedVersion: 0, overrides: { rateLimitPerMinute: 61 } },
        ],
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(many)).toEqual([
      "changes.0.overrides.maxCostPerDay",
      "changes.1.overrides.rateLimitPerMinute",
    ]);
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
  });

  it("a client that is disabled at platform level cannot be enabled in bulk either", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const admin = await t.as("admin");
    await admin.platform.features.toggle.mutate({
      toggles: [{ featureType: "smart_mapping", isEnabled: false }],
    });
    const before = await snapshotOrganization(server, t.organizationId);
    const e = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "smart_mapping",
        changes: [
          { clientId: ids[0]!, expectedVersion: 0, overrides: { isEnabled: false } },
          { clientId: ids[1]!, expectedVersion: 0, overrides: { isEnabled: true } },
        ],
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e)).toEqual(["changes.1.overrides.isEnabled"]);
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
  });

  it("another organization's client: NOT_FOUND naming it, and nothing written in either organization", async () => {
    const { t: a, member, ids } = await tenantWithOverrides();
    const b = await createTenant(server);
    const [beforeA, beforeB] = [
      await snapshotOrganization(server, a.organizationId),
      await snapshotOrganization(server, b.organizationId),
    ];
    const foreign = b.clientIds[0]!;
    const e = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: [
          { clientId: ids[0]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 5 } },
          { clientId: foreign, expectedVersion: 0, overrides: { maxRequestsPerDay: 5 } },
        ],
      }),
      "NOT_FOUND",
    );
    expect(e.message).toContain(foreign);
    expect(e.data?.details).toEqual({ clientId: foreign });
    // Indistinguishable from a client that does not exist at all.
    const unknownId = "00000000-0000-4000-8000-000000000000";
    const unknown = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: [{ clientId: unknownId, expectedVersion: 0, overrides: { maxRequestsPerDay: 5 } }],
      }),
      "NOT_FOUND",
    );
    expect(unknown.message.replace(unknownId, "")).toBe(e.message.replace(foreign, ""));
    expect(await snapshotOrganization(server, a.organizationId)).toEqual(beforeA);
    expect(await snapshotOrganization(server, b.organizationId)).toEqual(beforeB);
  });

  it("the same client twice in one request: BAD_REQUEST, nothing written", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const before = await snapshotOrganization(server, t.organizationId);
    const e = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: [
          { clientId: ids[0]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 5 } },
          { clientId: ids[2]!, expectedVersion: 0, overrides: { maxRequestsPerDay: 5 } },
          { clientId: ids[0]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 6 } },
        ],
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e)).toEqual(["changes.2.clientId"]);
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
  });

  it("validates the input like update: 1..200 changes, strict overrides", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const before = await snapshotOrganization(server, t.organizationId);
    await expectError(
      member.clients.config.bulkUpdate.mutate({ featureType: "field_extraction", changes: [] }),
      "BAD_REQUEST",
    );
    const tooMany = Array.from({ length: 201 }, (_, i) => ({
      clientId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 1 },
    }));
    await expectError(
      member.clients.config.bulkUpdate.mutate({ featureType: "field_extraction", changes: tooMany }),
      "BAD_REQUEST",
    );
    const strict = await expectError(
      member.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        // @ts-expect-error priorityLevel is not a client override
        changes: [{ clientId: ids[0]!, expectedVersion: 1, overrides: { priorityLevel: 1 } }],
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(strict)[0]).toMatch(/^changes\.0\.overrides/);
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
  });

  it("who may call it matches clients.config.update: member session and member API key yes, anonymous no", async () => {
    const { t, ids } = await tenantWithOverrides();
    const { id: keyId, client: keyClient } = await t.apiKey("member");
    const single = await keyClient.clients.config.update.mutate({
      clientId: ids[2]!,
      featureType: "pdf_analysis",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 9 },
    });
    expect(single.override.version).toBe(1);
    const bulk = await keyClient.clients.config.bulkUpdate.mutate({
      featureType: "pdf_analysis",
      changes: [
        { clientId: ids[0]!, expectedVersion: 0, overrides: { maxRequestsPerDay: 8 } },
        { clientId: ids[2]!, expectedVersion: 1, overrides: { maxRequestsPerDay: 7 } },
      ],
    });
    expect(bulk.map((r) => r.override.version)).toEqual([1, 2]);
    const audit = (await auditRowsOf(t.organizationId)).filter((r) => r.actorApiKeyId !== null);
    expect(audit).toHaveLength(3);
    expect(audit.every((r) => r.actorApiKeyId === keyId && r.actorUserId === null)).toBe(true);

    const anonymous = createWedsyncClient({ url: server.url });
    const input = {
      featureType: "pdf_analysis" as const,
      changes: [{ clientId: ids[1]!, expectedVersion: 0, overrides: { maxRequestsPerDay: 1 } }],
    };
    await expectError(
      anonymous.clients.config.update.mutate({
        ...input.changes[0]!,
        featureType: "pdf_analysis",
      }),
      "UNAUTHORIZED",
    );
    await expectError(anonymous.clients.config.bulkUpdate.mutate(input), "UNAUTHORIZED");
  });

  it("two bulk updates from the same versions at once: exactly one wins, the other changes nothing", async () => {
    const { t, member, ids } = await tenantWithOverrides();
    const admin = await t.as("admin");
    const changes = (n: number) =>
      [ids[2]!, ids[1]!, ids[0]!].map((clientId, i) => ({
        clientId,
        expectedVersion: i === 0 ? 0 : 1,
        overrides: { maxRequestsPerDay: n },
      }));
    const results = await Promise.allSettled([
      member.clients.config.bulkUpdate.mutate({ featureType: "field_extraction", changes: changes(3) }),
      admin.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: changes(4).reverse(),
      }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected")!;
    await expectError(Promise.reject(lost.reason), "CONFLICT");
    expect(await versionsOf(member, ids, "field_extraction")).toEqual([2, 2, 1]);
    // 2 setup rows + exactly one bulk's 3.
    expect(await auditRowsOf(t.organizationId)).toHaveLength(5);
  });
});
