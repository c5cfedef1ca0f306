/**
 * admin.bulk.preview / admin.bulk.update (platform staff): one feature switched or its limits
 * changed across organizations, all or nothing, each organization at the version the preview
 * read (or explicitly the current one), audited per organization with the staff member as actor,
 * one change event per organization, client overrides clamped as a single change clamps them;
 * the preview lists exactly what the change then does.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import type { RouterOutputs } from "@wedsync/client";
import { aiConfigAudit, auditDiff, MAX_BULK_ORGANIZATIONS, type SubscriptionTier } from "@wedsync/core";
import { and, asc, eq, gt } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { type OpenAIServer, startOpenAIServer } from "./harness/openai-server";
import { overridesExceedingPlatform, snapshotOrganization } from "./harness/queries";
import { startTestServer } from "./harness/server";
import { subscribe } from "./harness/subscriptions";
import { createStaffUser, createTenant, type SessionClient, type Tenant } from "./harness/tenant";

type ConfigChange = RouterOutputs["platform"]["onConfigChange"] extends AsyncIterable<infer T> ? T : never;

let server: RunningServer;
let staff: SessionClient;
let staffId: string;
beforeAll(async () => {
  server = await startTestServer();
  staff = await createStaffUser(server);
  const me = await staff.auth.me.query();
  staffId = me.kind === "user" ? me.user.id : "";
});
afterAll(() => server?.close());

/** A tenant whose first client overrides field_extraction at 500 requests/day, its second at 50. */
async function tenantWithOverrides(tier: SubscriptionTier = "enterprise") {
  const t = await createTenant(server, { tier, clients: 3 });
  const owner = await t.as("owner");
  for (const [i, maxRequestsPerDay] of [500, 50].entries()) {
    await owner.clients.config.update.mutate({
      clientId: t.clientIds[i]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay, isEnabled: true },
    });
  }
  return { t, owner };
}

async function auditAfter(organizationId: string, afterId: number) {
  return server.services.db
    .select()
    .from(aiConfigAudit)
    .where(and(eq(aiConfigAudit.organizationId, organizationId), gt(aiConfigAudit.id, afterId)))
    .orderBy(asc(aiConfigAudit.id));
}

async function lastAuditId(organizationId: string) {
  const rows = await auditAfter(organizationId, 0);
  return rows.at(-1)?.id ?? 0;
}

describe("admin.bulk", () => {
  it("changes limits in two organizations: exactly what the preview listed, audited as the staff member, one event each", async () => {
    const a = await tenantWithOverrides();
    const b = await tenantWithOverrides();
    const orgs = [a.t, b.t];
    const marks = await Promise.all(orgs.map((t) => lastAuditId(t.organizationId)));
    const change = {
      selection: { organizationIds: orgs.map((t) => t.organizationId) },
      featureType: "field_extraction" as const,
      patch: { maxRequestsPerDay: 100, maxCostPerDay: "20", model: "gpt-4o" },
    };
    const preview = await staff.admin.bulk.preview.query(change);
    expect(preview.totals).toEqual({ organizations: 2, changing: 2, clampedClients: 2, problems: 0 });
    for (const p of preview.organizations) {
      const t = orgs.find((x) => x.organizationId === p.organizationId)!;
      expect(p).toMatchObject({
        version: 1,
        problem: null,
        changes: [
          { field: "maxRequestsPerDay", from: 1000, to: 100 },
          { field: "maxCostPerDay", from: "50.00", to: "20.00" },
          { field: "model", from: "gpt-4o-mini", to: "gpt-4o" },
        ],
        clampedClients: [
          { clientId: t.clientIds[0], changes: [{ field: "maxRequestsPerDay", from: 500, to: 100 }] },
        ],
      });
    }

    const subs = orgs.map((t) =>
      subscribe<ConfigChange>((h) =>
        staff.platform.onConfigChange.subscribe({ organizationId: t.organizationId }, h),
      ),
    );
    await Promise.all(subs.map((s) => s.started));
    const res = await staff.admin.bulk.update.mutate({
      ...change,
      expectedVersions: preview.expectedVersions,
    });
    expect(res.totals).toEqual({ organizations: 2, changed: 2, cascadedClientConfigs: 2 });

    for (const [i, t] of orgs.entries()) {
      const p = preview.organizations.find((x) => x.organizationId === t.organizationId)!;
      const audit = await auditAfter(t.organizationId, marks[i]!);
      // One platform entry and one clamp, both by the staff member.
      expect(audit.map((r) => [r.entityKind, r.action, r.actorUserId])).toEqual([
        ["platform_config", "update", staffId],
        ["client_config", "cascade_clamp", staffId],
      ]);
      const [platform, clamp] = audit;
      expect(auditDiff(platform!.before, platform!.after)).toEqual(p.changes);
      expect(platform!.version).toBe(2);
      expect(clamp!.clientId).toBe(p.clampedClients[0]!.clientId);
      expect(auditDiff(clamp!.before, clamp!.after)).toEqual([
        { field: "overrides.maxRequestsPerDay", from: 500, to: 100 },
      ]);
      expect(await overridesExceedingPlatform(server, t.organizationId)).toEqual([]);
      // The same as a single change: the config reads back at version 2 with the new values.
      const cfg = await staff.platform.config.get.query({ organizationId: t.organizationId });
      expect(cfg.features.find((f) => f.featureType === "field_extraction")).toMatchObject({
        version: 2,
        maxRequestsPerDay: 100,
        maxCostPerDay: "20.00",
        model: "gpt-4o",
      });
      // One change event of the platform config per organization (plus the clamp's), on its own stream.
      const events = await subs[i]!.waitFor(2);
      expect(events.map((e) => [e.data.organizationId, e.data.entityKind])).toEqual([
        [t.organizationId, "platform_config"],
        [t.organizationId, "client_config"],
      ]);
      expect(events.map((e) => Number(e.id))).toEqual(audit.map((r) => r.id));
    }
    for (const s of subs) s.stop();
  });

  it("one organization changed since the preview: CONFLICT with its current state, nothing changed anywhere", async () => {
    const a = await tenantWithOverrides();
    const b = await tenantWithOverrides();
    const change = {
      selection: { organizationIds: [a.t.organizationId, b.t.organizationId] },
      featureType: "field_extraction" as const,
      patch: { rateLimitPerMinute: 5 },
    };
    const preview = await staff.admin.bulk.preview.query(change);
    await b.owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { priorityLevel: 3 },
    });
    const before = await Promise.all([a, b].map((x) => snapshotOrganization(server, x.t.organizationId)));

    const e = await expectError(
      staff.admin.bulk.update.mutate({ ...change, expectedVersions: preview.expectedVersions }),
      "CONFLICT",
    );
    const details = e.data?.details as {
      stale: Array<{
        organizationId: string;
        expectedVersion: number;
        current: { version: number; priorityLevel: number };
      }>;
      added: string[];
      removed: string[];
    };
    expect(details.stale).toHaveLength(1);
    expect(details.stale[0]).toMatchObject({
      organizationId: b.t.organizationId,
      expectedVersion: 1,
      current: { version: 2, priorityLevel: 3, rateLimitPerMinute: 60 },
    });
    expect(details).toMatchObject({ added: [], removed: [] });
    expect(e.message).toContain(`Test Org ${b.t.slug}`);
    const after = await Promise.all([a, b].map((x) => snapshotOrganization(server, x.t.organizationId)));
    expect(after).toEqual(before);

    // Applying to the current state, explicitly, goes through.
    const res = await staff.admin.bulk.update.mutate({ ...change, applyToCurrent: true });
    expect(
      res.organizations.map((o) => [o.organizationId, o.config.version, o.config.rateLimitPerMinute]),
    ).toEqual(
      expect.arrayContaining([
        [a.t.organizationId, 2, 5],
        [b.t.organizationId, 3, 5],
      ]),
    );
  });

  it("all matching a filter: resolved again when applied; an organization that joined since refuses the change", async () => {
    const token = `zb${randomUUID().slice(0, 8)}`;
    const make = (i: number) =>
      server.services.organizations.createOrganization({
        name: `Starter ${token} ${i}`,
        slug: `${token}-${i}`,
        tier: "free",
        billingEmail: `b@${token}.test`,
      });
    const [o1, o2] = [await make(1), await make(2)];
    const client = await server.services.organizations.createClient({
      organizationId: o1.id,
      coupleNames: "Ada & Bo",
    });
    await staff.clients.config.update.mutate({
      organizationId: o1.id,
      clientId: client.id,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { isEnabled: true },
    });
    // A professional organization with the token is not selected by the tier filter.
    await server.services.organizations.createOrganization({
      name: `Pro ${token}`,
      slug: `${token}-pro`,
      tier: "professional",
      billingEmail: `p@${token}.test`,
    });
    const change = {
      selection: { filter: { tier: "free" as const, search: token } },
      featureType: "field_extraction" as const,
      patch: { isEnabled: false },
    };
    const preview = await staff.admin.bulk.preview.query(change);
    expect(preview.organizations.map((o) => o.organizationId)).toEqual([o1.id, o2.id]);
    expect(preview.organizations[0]!.clampedClients).toEqual([
      {
        clientId: client.id,
        clientName: "Ada & Bo",
        changes: [{ field: "isEnabled", from: true, to: null }],
      },
    ]);

    const o3 = await make(3);
    const before = await Promise.all([o1, o2, o3].map((o) => snapshotOrganization(server, o.id)));
    const e = await expectError(
      staff.admin.bulk.update.mutate({ ...change, expectedVersions: preview.expectedVersions }),
      "CONFLICT",
    );
    expect(e.data?.details).toMatchObject({ stale: [], added: [o3.id], removed: [] });
    expect(await Promise.all([o1, o2, o3].map((o) => snapshotOrganization(server, o.id)))).toEqual(before);

    const again = await staff.admin.bulk.preview.query(change);
    const res = await staff.admin.bulk.update.mutate({ ...change, expectedVersions: again.expectedVersions });
    expect(res.totals).toEqual({ organizations: 3, changed: 3, cascadedClientConfigs: 1 });
    const audit = await auditAfter(o1.id, 0);
    expect(audit.map((r) => [r.entityKind, r.action, r.actorUserId])).toEqual([
      ["client_config", "create", staffId],
      ["platform_config", "toggle", staffId],
      ["client_config", "cascade_clamp", staffId],
    ]);
  });

  it("a filter matching more organizations than allowed, or none, is refused naming it", async () => {
    const token = `zc${randomUUID().slice(0, 8)}`;
    for (let i = 0; i <= MAX_BULK_ORGANIZATIONS; i++) {
      await server.services.organizations.createOrganization({
        name: `Many ${token} ${i}`,
        slug: `${token}-${i}`,
        tier: "free",
        billingEmail: `m@${token}.test`,
      });
    }
    const change = {
      selection: { filter: { search: token } },
      featureType: "field_extraction" as const,
      patch: { maxRequestsPerDay: 1 },
    };
    const e1 = await expectError(staff.admin.bulk.preview.query(change), "BAD_REQUEST");
    expect(fieldsOf(e1)).toEqual(["selection.filter"]);
    expect(e1.message).toContain(`more than ${MAX_BULK_ORGANIZATIONS}`);
    const e2 = await expectError(
      staff.admin.bulk.update.mutate({ ...change, applyToCurrent: true }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e2)).toEqual(["selection.filter"]);
    const e3 = await expectError(
      staff.admin.bulk.preview.query({ ...change, selection: { filter: { search: `${token}-none` } } }),
      "BAD_REQUEST",
    );
    expect(e3.message).toContain("matches no organization");
  });

  it("enabling a feature above one organization's tier: the preview says where, the change is refused for all", async () => {
    const pro = await createTenant(server, { tier: "professional" });
    const free = await createTenant(server, { tier: "free" });
    const owner = await pro.as("owner");
    await owner.platform.features.toggle.mutate({
      toggles: [{ featureType: "pdf_analysis", isEnabled: false }],
    });
    const change = {
      selection: { organizationIds: [pro.organizationId, free.organizationId] },
      featureType: "pdf_analysis" as const,
      patch: { isEnabled: true },
    };
    const preview = await staff.admin.bulk.preview.query(change);
    const byOrg = new Map(preview.organizations.map((o) => [o.organizationId, o]));
    expect(byOrg.get(pro.organizationId)).toMatchObject({ problem: null, changes: [{ field: "isEnabled" }] });
    expect(byOrg.get(free.organizationId)!.problem).toContain("professional");
    expect(preview.totals.problems).toBe(1);
    const before = await Promise.all([pro, free].map((t) => snapshotOrganization(server, t.organizationId)));
    const e = await expectError(
      staff.admin.bulk.update.mutate({ ...change, expectedVersions: preview.expectedVersions }),
      "FORBIDDEN",
    );
    expect(e.data?.details).toMatchObject({ violations: [{ organizationId: free.organizationId }] });
    expect(await Promise.all([pro, free].map((t) => snapshotOrganization(server, t.organizationId)))).toEqual(
      before,
    );
  });

  it("an organization already at the value is left alone: no version, no audit entry", async () => {
    const a = await createTenant(server);
    const b = await createTenant(server);
    await (await b.as("owner")).platform.config.update.mutate({
      featureType: "smart_mapping",
      expectedVersion: 1,
      patch: { maxRequestsPerDay: 7 },
    });
    const change = {
      selection: { organizationIds: [a.organizationId, b.organizationId] },
      featureType: "smart_mapping" as const,
      patch: { maxRequestsPerDay: 7 },
    };
    const preview = await staff.admin.bulk.preview.query(change);
    expect(preview.organizations.find((o) => o.organizationId === b.organizationId)!.changes).toEqual([]);
    const mark = await lastAuditId(b.organizationId);
    const res = await staff.admin.bulk.update.mutate({
      ...change,
      expectedVersions: preview.expectedVersions,
    });
    expect(new Map(res.organizations.map((o) => [o.organizationId, [o.changed, o.config.version]]))).toEqual(
      new Map([
        [a.organizationId, [true, 2]],
        [b.organizationId, [false, 2]],
      ]),
    );
    expect(await auditAfter(b.organizationId, mark)).toEqual([]);
  });

  it("refuses bad input before anything is read, naming the field", async () => {
    const t: Tenant = await createTenant(server);
    const ok = {
      selection: { organizationIds: [t.organizationId] },
      featureType: "field_extraction" as const,
      patch: { maxRequestsPerDay: 10 },
    };
    const cases: Array<[unknown, string]> = [
      [ok, "expectedVersions"], // neither versions nor applyToCurrent
      [
        { ...ok, applyToCurrent: true, expectedVersions: [{ organizationId: t.organizationId, version: 1 }] },
        "expectedVersions",
      ],
      [{ ...ok, expectedVersions: [{ organizationId: randomUUID(), version: 1 }] }, "expectedVersions"],
      [{ ...ok, applyToCurrent: true, patch: {} }, "patch"],
      [{ ...ok, applyToCurrent: true, patch: { priorityLevel: 2 } }, "patch"],
      [{ ...ok, applyToCurrent: true, patch: { maxCostPerDay: "1.234" } }, "patch.maxCostPerDay"],
      [{ ...ok, applyToCurrent: true, selection: { organizationIds: [] } }, "selection.organizationIds"],
      [{ ...ok, applyToCurrent: true, featureType: "mind_reading" }, "featureType"],
    ];
    const before = await snapshotOrganization(server, t.organizationId);
    for (const [input, field] of cases) {
      const e = await expectError(staff.admin.bulk.update.mutate(input as never), "BAD_REQUEST").catch(
        (err) => {
          throw new Error(`${field}: ${err}`);
        },
      );
      expect({ field, got: fieldsOf(e) }).toEqual({ field, got: expect.arrayContaining([field]) });
    }
    const unknown = await expectError(
      staff.admin.bulk.update.mutate({
        ...ok,
        selection: { organizationIds: [t.organizationId, randomUUID()] },
        applyToCurrent: true,
      }),
      "NOT_FOUND",
    );
    expect(unknown.message).toContain("not found");
    expect(await snapshotOrganization(server, t.organizationId)).toEqual(before);
  });
});

describe("admin.bulk with an OpenAI-compatible provider", () => {
  let upstream: OpenAIServer;
  beforeAll(async () => {
    upstream = await startOpenAIServer({
      timeoutMs: 2_000,
      retry: { maxAttempts: 1, initialDelayMs: 5, maxDelayMs: 20 },
      breaker: { failureThreshold: 1_000, halfOpenAfterMs: 60_000 },
    });
  });
  afterAll(() => upstream?.close());

  it("a model without a price is refused by the preview and the change, naming patch.model", async () => {
    const t = await createTenant(upstream.server);
    const staffThere = await createStaffUser(upstream.server);
    const change = {
      selection: { organizationIds: [t.organizationId] },
      featureType: "field_extraction" as const,
      patch: { model: "gpt-imaginary" },
    };
    const before = await snapshotOrganization(upstream.server, t.organizationId);
    const e1 = await expectError(staffThere.admin.bulk.preview.query(change), "BAD_REQUEST");
    expect(fieldsOf(e1)).toEqual(["patch.model"]);
    const e2 = await expectError(
      staffThere.admin.bulk.update.mutate({ ...change, applyToCurrent: true }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e2)).toEqual(["patch.model"]);
    expect(e2.message).toContain("gpt-imaginary");
    expect(await snapshotOrganization(upstream.server, t.organizationId)).toEqual(before);
    // A priced one goes through.
    const res = await staffThere.admin.bulk.update.mutate({
      ...change,
      patch: { model: "gpt-4.1-mini" },
      applyToCurrent: true,
    });
    expect(res.organizations[0]!.config.model).toBe("gpt-4.1-mini");
  });
});
