/**
 * The shared security suite: every procedure against no credentials, a revoked key, the wrong
 * role and the wrong tenant. Each must get the right code, and the victim's rows must not change.
 */

import { appRouter } from "@wedsync/api/router";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, type WedsyncClient } from "@wedsync/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { snapshotOrganization } from "./harness/queries";
import { startTestServer } from "./harness/server";
import { firstEvent } from "./harness/subscriptions";
import { createStaffUser, createTenant, type Tenant } from "./harness/tenant";
import { usageRows } from "./harness/usage";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** The victim organization's ids the attacker aims at. */
interface Target {
  organizationId: string;
  clientId: string;
  apiKeyId: string;
  auditId: number;
  invoiceId: string;
  alertRuleId: string;
  jobId: string;
}

type Role = "member" | "admin";
interface ProcedureCase {
  name: string;
  /** The least role that may call it in its own organization. */
  minimum: Role | "staff";
  /** Whether it reaches another organization's data by id (so the cross-tenant answer is NOT_FOUND). */
  tenantScoped: boolean;
  call(c: WedsyncClient, t: Target): Promise<unknown>;
}

const PROCEDURES: ProcedureCase[] = [
  { name: "auth.me", minimum: "member", tenantScoped: false, call: (c) => c.auth.me.query() },
  {
    name: "auth.switchOrganization",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.auth.switchOrganization.mutate({ organizationId: t.organizationId }),
  },
  {
    name: "platform.config.get",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.platform.config.get.query({ organizationId: t.organizationId }),
  },
  {
    name: "platform.config.update",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) =>
      c.platform.config.update.mutate({
        organizationId: t.organizationId,
        featureType: "field_extraction",
        expectedVersion: 2,
        patch: { maxRequestsPerDay: 1 },
      }),
  },
  {
    name: "platform.config.rollback",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) =>
      c.platform.config.rollback.mutate({
        organizationId: t.organizationId,
        auditId: t.auditId,
        expectedVersion: 2,
      }),
  },
  {
    name: "platform.features.toggle",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) =>
      c.platform.features.toggle.mutate({
        organizationId: t.organizationId,
        toggles: [{ featureType: "field_extraction", isEnabled: false }],
      }),
  },
  {
    name: "platform.audit.list",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.platform.audit.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "platform.models",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.platform.models.query({ organizationId: t.organizationId }),
  },
  {
    name: "clients.list",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.clients.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "clients.config.get",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.clients.config.get.query({ clientId: t.clientId }),
  },
  {
    name: "clients.config.update",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) =>
      c.clients.config.update.mutate({
        clientId: t.clientId,
        featureType: "field_extraction",
        expectedVersion: 0,
        overrides: { maxRequestsPerDay: 1 },
      }),
  },
  {
    name: "clients.config.bulkUpdate",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) =>
      c.clients.config.bulkUpdate.mutate({
        featureType: "field_extraction",
        changes: [{ clientId: t.clientId, expectedVersion: 0, overrides: { maxRequestsPerDay: 1 } }],
      }),
  },
  {
    name: "apiKeys.list",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.apiKeys.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "apiKeys.create",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.apiKeys.create.mutate({ organizationId: t.organizationId, name: "intruder" }),
  },
  {
    name: "apiKeys.revoke",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.apiKeys.revoke.mutate({ id: t.apiKeyId }),
  },
  {
    name: "clients.process",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) =>
      c.clients.process.mutate({
        clientId: t.clientId,
        featureType: "field_extraction",
        input: { text: "Emma & Liam, 12 June 2027" },
      }),
  },
  {
    name: "jobs.get",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.jobs.get.query({ jobId: t.jobId }),
  },
  {
    name: "jobs.list",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.jobs.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "jobs.cancel",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.jobs.cancel.mutate({ jobId: t.jobId }),
  },
  {
    name: "jobs.onProgress",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => firstEvent((h) => c.jobs.onProgress.subscribe({ jobId: t.jobId }, h)),
  },
  {
    name: "platform.onConfigChange",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) =>
      firstEvent((h) => c.platform.onConfigChange.subscribe({ organizationId: t.organizationId }, h)),
  },
  {
    name: "clients.onConfigChange",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => firstEvent((h) => c.clients.onConfigChange.subscribe({ clientId: t.clientId }, h)),
  },
  {
    name: "usage.onUsage",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => firstEvent((h) => c.usage.onUsage.subscribe({ organizationId: t.organizationId }, h)),
  },
  {
    name: "platform.usage",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) =>
      c.platform.usage.query({ organizationId: t.organizationId, from: "2026-01-01", to: "2026-01-31" }),
  },
  {
    name: "platform.usageByClient",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) =>
      c.platform.usageByClient.query({
        organizationId: t.organizationId,
        from: "2026-01-01",
        to: "2026-01-31",
      }),
  },
  {
    name: "usage.rateLimits",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.usage.rateLimits.query({ organizationId: t.organizationId }),
  },
  {
    name: "usage.byFeature",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) =>
      c.usage.byFeature.query({ organizationId: t.organizationId, from: "2026-01-01", to: "2026-01-31" }),
  },
  {
    name: "billing.monthlyCosts",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.billing.monthlyCosts.query({ organizationId: t.organizationId }),
  },
  {
    name: "billing.creditStatus",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.billing.creditStatus.query({ organizationId: t.organizationId }),
  },
  {
    name: "billing.invoices.preview",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) =>
      c.billing.invoices.preview.query({
        organizationId: t.organizationId,
        from: "2026-01-01",
        to: "2026-01-31",
      }),
  },
  {
    name: "billing.invoices.issue",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) =>
      c.billing.invoices.issue.mutate({
        organizationId: t.organizationId,
        from: "2026-01-01",
        to: "2026-01-31",
      }),
  },
  {
    name: "billing.invoices.list",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.billing.invoices.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "billing.invoices.export",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.billing.invoices.export.query({ invoiceId: t.invoiceId, format: "csv" }),
  },
  {
    name: "performance.report",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.performance.report.query({ organizationId: t.organizationId }),
  },
  {
    name: "performance.sla",
    minimum: "staff",
    tenantScoped: false,
    call: (c, t) => c.performance.sla.query({ organizationId: t.organizationId }),
  },
  {
    name: "alerts.rules.list",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.alerts.rules.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "alerts.rules.create",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) =>
      c.alerts.rules.create.mutate({
        organizationId: t.organizationId,
        kind: "daily_cost",
        thresholds: [50],
      }),
  },
  {
    name: "alerts.rules.update",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.alerts.rules.update.mutate({ id: t.alertRuleId, thresholds: [10] }),
  },
  {
    name: "alerts.rules.delete",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.alerts.rules.delete.mutate({ id: t.alertRuleId }),
  },
  {
    name: "alerts.list",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => c.alerts.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "alerts.onAlert",
    minimum: "admin",
    tenantScoped: true,
    call: (c, t) => firstEvent((h) => c.alerts.onAlert.subscribe({ organizationId: t.organizationId }, h)),
  },
  {
    name: "admin.providers.health",
    minimum: "staff",
    tenantScoped: false,
    call: (c) => c.admin.providers.health.query(),
  },
  {
    name: "admin.organizations.list",
    minimum: "staff",
    tenantScoped: false,
    call: (c) => c.admin.organizations.list.query(),
  },
  {
    name: "admin.organizations.get",
    minimum: "staff",
    tenantScoped: false,
    call: (c, t) => c.admin.organizations.get.query({ organizationId: t.organizationId }),
  },
  {
    name: "admin.bulk.preview",
    minimum: "staff",
    tenantScoped: false,
    call: (c, t) =>
      c.admin.bulk.preview.query({
        selection: { organizationIds: [t.organizationId] },
        featureType: "field_extraction",
        patch: { isEnabled: false },
      }),
  },
  {
    name: "admin.bulk.update",
    minimum: "staff",
    tenantScoped: false,
    call: (c, t) =>
      c.admin.bulk.update.mutate({
        selection: { organizationIds: [t.organizationId] },
        featureType: "field_extraction",
        patch: { isEnabled: false, maxRequestsPerDay: 1 },
        applyToCurrent: true,
      }),
  },
  {
    name: "admin.audit.list",
    minimum: "staff",
    tenantScoped: false,
    call: (c, t) => c.admin.audit.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "admin.invoices.list",
    minimum: "staff",
    tenantScoped: false,
    call: (c, t) => c.admin.invoices.list.query({ organizationId: t.organizationId }),
  },
  {
    name: "modelPrices.list",
    minimum: "staff",
    tenantScoped: false,
    call: (c) => c.modelPrices.list.query(),
  },
  {
    name: "modelPrices.schedule",
    minimum: "staff",
    tenantScoped: false,
    // A valid change (a new model, next year): refused only for who is asking.
    call: (c) =>
      c.modelPrices.schedule.mutate({
        provider: "openai",
        model: "security-suite-model",
        inputPerMillion: "1",
        cachedInputPerMillion: "0.5",
        outputPerMillion: "4",
        effectiveFrom: new Date(Date.now() + 365 * 86_400_000),
      }),
  },
  {
    name: "modelPrices.preview",
    minimum: "staff",
    tenantScoped: false,
    call: (c) =>
      c.modelPrices.preview.query({
        provider: "openai",
        model: "gpt-4o-mini",
        inputPerMillion: "1",
        cachedInputPerMillion: "0.5",
        outputPerMillion: "4",
      }),
  },
  {
    name: "serviceLevels.overview",
    minimum: "staff",
    tenantScoped: false,
    call: (c, t) => c.serviceLevels.overview.query({ hours: 24, organizationId: t.organizationId }),
  },
  {
    name: "throttles.set",
    minimum: "staff",
    tenantScoped: false,
    // A valid throttle (a generous cap on the victim alone): refused only for who is asking.
    call: (c, t) =>
      c.throttles.set.mutate({
        scope: "organization",
        organizationId: t.organizationId,
        mode: "cap",
        perMinute: 10_000,
        reason: "security suite",
      }),
  },
  {
    name: "throttles.lift",
    minimum: "staff",
    tenantScoped: false,
    call: (c) => c.throttles.lift.mutate({ id: "00000000-0000-4000-8000-000000000000" }),
  },
  {
    name: "throttles.list",
    minimum: "staff",
    tenantScoped: false,
    call: (c) => c.throttles.list.query({ active: true }),
  },
  {
    name: "throttles.active",
    minimum: "member",
    tenantScoped: true,
    call: (c, t) => c.throttles.active.query({ organizationId: t.organizationId }),
  },
];

/** A victim organization with a change in its audit trail, a client and an API key to aim at. */
async function victim(): Promise<{ tenant: Tenant; target: Target }> {
  const tenant = await createTenant(server);
  const owner = await tenant.as("owner");
  await owner.platform.config.update.mutate({
    featureType: "field_extraction",
    expectedVersion: 1,
    patch: { priorityLevel: 2 },
  });
  const audit = await owner.platform.audit.list.query({});
  const { id: apiKeyId } = await tenant.apiKey("member");
  const invoice = await owner.billing.invoices.issue.mutate({ from: "2025-12-01", to: "2025-12-31" });
  const rule = await owner.alerts.rules.create.mutate({ kind: "monthly_cost", thresholds: [80] });
  const job = await owner.clients.process.mutate({
    clientId: tenant.clientIds[0]!,
    featureType: "field_extraction",
    input: { text: "Emma & Liam, 12 June 2027" },
    mode: "async",
  });
  if (!job.jobId) throw new Error("expected a background job");
  // Finished before the attacks, so the victim's rows hold still while they run.
  for (let status = job.status; status === "queued" || status === "running"; ) {
    await new Promise((r) => setTimeout(r, 50));
    status = (await owner.jobs.get.query({ jobId: job.jobId })).status;
  }
  return {
    tenant,
    target: {
      organizationId: tenant.organizationId,
      clientId: tenant.clientIds[0]!,
      apiKeyId,
      auditId: audit.entries[0]!.id,
      invoiceId: invoice.id,
      alertRuleId: rule.id,
      jobId: job.jobId,
    },
  };
}

/** Everything of the victim's an attacker could alter, to compare before and after. */
async function victimState(t: Tenant) {
  const owner = await t.as("owner");
  // lastUsedAt moves whenever the victim's own keys are used in the test; everything else must hold still.
  const keys = (await owner.apiKeys.list.query()).map(({ lastUsedAt: _used, ...rest }) => rest);
  const usage = (await usageRows(server, t.organizationId)).length;
  const alertRules = await owner.alerts.rules.list.query();
  return { rows: await snapshotOrganization(server, t.organizationId), keys, usage, alertRules };
}

describe("security suite", () => {
  it("has a case for every procedure in the router", () => {
    // Read from the router itself, so a new procedure without a case here fails the suite.
    const all = Object.keys(appRouter._def.procedures);
    expect(PROCEDURES.map((p) => p.name).sort()).toEqual(
      // Public (no credentials needed): auth.login, auth.session and the API reference.
      all
        .filter((n) => !["auth.login", "auth.logout", "auth.session", "reference.procedures"].includes(n))
        .sort(),
    );
  });

  it("no credentials: UNAUTHORIZED everywhere, nothing changed", async () => {
    const { tenant, target } = await victim();
    const before = await victimState(tenant);
    const anonymous = createWedsyncClient({ url: server.url });
    for (const p of PROCEDURES) await expectError(p.call(anonymous, target), "UNAUTHORIZED");
    await expectError(anonymous.auth.logout.mutate(), "UNAUTHORIZED");
    expect(await victimState(tenant)).toEqual(before);
  });

  it("a revoked API key: UNAUTHORIZED everywhere", async () => {
    const { tenant, target } = await victim();
    const { id, client } = await tenant.apiKey("admin");
    await (await tenant.as("owner")).apiKeys.revoke.mutate({ id });
    const before = await victimState(tenant);
    for (const p of PROCEDURES) await expectError(p.call(client, target), "UNAUTHORIZED");
    expect(await victimState(tenant)).toEqual(before);
  });

  it("a member calling admin procedures in their own organization: FORBIDDEN, nothing changed", async () => {
    const { tenant, target } = await victim();
    const member = await tenant.as("member");
    const memberKey = (await tenant.apiKey("member")).client;
    const before = await victimState(tenant);
    for (const p of PROCEDURES.filter((x) => x.minimum !== "member")) {
      await expectError(p.call(member, target), "FORBIDDEN");
      await expectError(p.call(memberKey, target), "FORBIDDEN");
    }
    expect(await victimState(tenant)).toEqual(before);
  });

  it("org A's admin (session or API key) reaching org B by id: NOT_FOUND, nothing changed", async () => {
    const { tenant: b, target } = await victim();
    const a = await createTenant(server);
    const attackers = [await a.as("owner"), (await a.apiKey("admin")).client];
    const before = await victimState(b);
    for (const attacker of attackers) {
      for (const p of PROCEDURES.filter((x) => x.tenantScoped))
        await expectError(p.call(attacker, target), "NOT_FOUND");
    }
    expect(await victimState(b)).toEqual(before);
  });

  it("an org admin calling the staff-only multi-organization toggle: FORBIDDEN, nothing changed", async () => {
    const { tenant: b } = await victim();
    const a = await createTenant(server);
    const before = await victimState(b);
    const mine = await snapshotOrganization(server, a.organizationId);
    const owner = await a.as("owner");
    const e = await expectError(
      owner.platform.features.toggle.mutate({
        organizationIds: [a.organizationId, b.organizationId],
        toggles: [{ featureType: "field_extraction", isEnabled: false }],
      }),
      "FORBIDDEN",
    );
    expect(e.message).toContain("platform staff");
    expect(await victimState(b)).toEqual(before);
    expect(await snapshotOrganization(server, a.organizationId)).toEqual(mine);
  });

  it("platform staff reach any organization; their changes are audited as theirs", async () => {
    const { tenant, target } = await victim();
    const staff = await createStaffUser(server);
    const orgs = await staff.admin.organizations.list.query({ search: tenant.slug });
    expect(orgs.rows.map((o) => o.id)).toEqual([tenant.organizationId]);
    const cfg = await staff.platform.config.get.query({ organizationId: target.organizationId });
    const fe = cfg.features.find((f) => f.featureType === "field_extraction")!;
    await staff.platform.config.update.mutate({
      organizationId: target.organizationId,
      featureType: "field_extraction",
      expectedVersion: fe.version,
      patch: { priorityLevel: 4 },
    });
    const audit = await staff.platform.audit.list.query({ organizationId: target.organizationId });
    const me = await staff.auth.me.query();
    expect(audit.entries[0]?.actorUserId).toBe(me.kind === "user" ? me.user.id : "");
  });
});
