/**
 * admin.audit.list (platform staff): configuration changes across organizations, newest first,
 * filtered by organization, actor, feature and days, each naming its organization, actor and
 * client with a diff; a rollback made from there (platform.config.rollback with the entry's
 * organizationId) is audited with the staff member as actor.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import type { RouterOutputs } from "@wedsync/client";
import { aiConfigAudit } from "@wedsync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { createStaffUser, createTenant, type SessionClient } from "./harness/tenant";

type Entry = RouterOutputs["admin"]["audit"]["list"]["entries"][number];

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function userId(c: SessionClient) {
  const me = await c.auth.me.query();
  return me.kind === "user" ? me.user.id : "";
}

/** Every page of a listing, following nextCursor. */
async function allPages(
  staff: SessionClient,
  input: Parameters<SessionClient["admin"]["audit"]["list"]["query"]>[0],
) {
  const entries: Entry[] = [];
  let cursor: number | undefined;
  do {
    const page = await staff.admin.audit.list.query({ ...input, cursor });
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return entries;
}

/**
 * Two organizations' changes by four actors: A's owner, B's admin API key, a staff member on A's
 * client, and the staff member's change across both.
 */
async function history() {
  const staff = await createStaffUser(server);
  const a = await createTenant(server, { clients: 2 });
  const b = await createTenant(server, { clients: 1 });
  const ownerA = await a.as("owner");
  await ownerA.platform.config.update.mutate({
    featureType: "field_extraction",
    expectedVersion: 1,
    patch: { maxRequestsPerDay: 300 },
  });
  const key = await b.apiKey("admin");
  await key.client.platform.config.update.mutate({
    featureType: "pdf_analysis",
    expectedVersion: 1,
    patch: { rateLimitPerMinute: 9 },
  });
  await staff.clients.config.update.mutate({
    organizationId: a.organizationId,
    clientId: a.clientIds[1]!,
    featureType: "field_extraction",
    expectedVersion: 0,
    overrides: { maxRequestsPerDay: 250 },
  });
  await staff.admin.bulk.update.mutate({
    selection: { organizationIds: [a.organizationId, b.organizationId] },
    featureType: "field_extraction",
    patch: { maxRequestsPerDay: 200 },
    applyToCurrent: true,
  });
  return { staff, staffId: await userId(staff), a, b, ownerAId: await userId(ownerA), key };
}

describe("admin.audit.list", () => {
  it("one organization's entries, newest first, naming organization, actor and client, with the diff", async () => {
    const h = await history();
    const { entries } = await h.staff.admin.audit.list.query({ organizationId: h.a.organizationId });
    expect(
      entries.map((e) => [e.entityKind, e.action, e.featureType, e.actor.kind, e.actor.isPlatformStaff]),
    ).toEqual([
      ["client_config", "cascade_clamp", "field_extraction", "user", true],
      ["platform_config", "update", "field_extraction", "user", true],
      ["client_config", "create", "field_extraction", "user", true],
      ["platform_config", "update", "field_extraction", "user", false],
    ]);
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((x, y) => y - x));
    for (const e of entries) expect(e.organizationName).toBe(`Test Org ${h.a.slug}`);
    const [clamp, bulk, create, owner] = entries as [Entry, Entry, Entry, Entry];
    expect(owner).toMatchObject({
      actor: { kind: "user", id: h.ownerAId, name: `owner of ${h.a.slug}`, isPlatformStaff: false },
      clientId: null,
      clientName: null,
      changes: [{ field: "maxRequestsPerDay", from: 1000, to: 300 }],
      version: 2,
    });
    expect(bulk).toMatchObject({
      actor: { kind: "user", id: h.staffId, name: "Staff", isPlatformStaff: true },
      changes: [{ field: "maxRequestsPerDay", from: 300, to: 200 }],
      before: { maxRequestsPerDay: 300 },
      after: { maxRequestsPerDay: 200 },
    });
    expect(create).toMatchObject({
      clientId: h.a.clientIds[1],
      clientName: `Couple 1 of ${h.a.slug}`,
      changes: [{ field: "overrides.maxRequestsPerDay", from: null, to: 250 }],
    });
    expect(clamp).toMatchObject({
      clientId: h.a.clientIds[1],
      changes: [{ field: "overrides.maxRequestsPerDay", from: 250, to: 200 }],
    });

    const { entries: bEntries } = await h.staff.admin.audit.list.query({
      organizationId: h.b.organizationId,
    });
    expect(bEntries.at(-1)).toMatchObject({
      actor: { kind: "apiKey", id: h.key.id, name: "admin key", isPlatformStaff: false },
      featureType: "pdf_analysis",
      changes: [{ field: "rateLimitPerMinute", from: 60, to: 9 }],
    });
  });

  it("filters by actor (id, or part of a name or email, any case), feature, and pages with the cursor", async () => {
    const h = await history();
    const byStaff = await allPages(h.staff, { actor: h.staffId, limit: 1 });
    // The change across both organizations applies them in one transaction, in either order.
    expect(byStaff.map((e) => [e.organizationId, e.entityKind, e.action]).sort()).toEqual(
      [
        [h.b.organizationId, "platform_config", "update"],
        [h.a.organizationId, "client_config", "cascade_clamp"],
        [h.a.organizationId, "platform_config", "update"],
        [h.a.organizationId, "client_config", "create"],
      ].sort(),
    );
    expect(byStaff.at(-1)).toMatchObject({ action: "create", organizationId: h.a.organizationId });
    expect(byStaff.map((e) => e.id)).toEqual(byStaff.map((e) => e.id).sort((x, y) => y - x));
    const byKey = await h.staff.admin.audit.list.query({ actor: h.key.id });
    expect(byKey.entries.map((e) => e.organizationId)).toEqual([h.b.organizationId]);
    for (const actor of [`OWNER OF ${h.a.slug}`, `owner@${h.a.slug}`]) {
      const byName = await h.staff.admin.audit.list.query({ actor });
      expect(byName.entries.map((e) => e.actor.id)).toEqual([h.ownerAId]);
    }
    const byFeature = await h.staff.admin.audit.list.query({
      organizationId: h.b.organizationId,
      featureType: "pdf_analysis",
    });
    expect(byFeature.entries.map((e) => e.actor.kind)).toEqual(["apiKey"]);
    const none = await h.staff.admin.audit.list.query({
      organizationId: h.a.organizationId,
      featureType: "smart_mapping",
    });
    expect(none).toEqual({ entries: [], nextCursor: null });
    const clientEntries = await h.staff.admin.audit.list.query({
      organizationId: h.a.organizationId,
      entityKind: "client_config",
    });
    expect(clientEntries.entries.map((e) => e.action)).toEqual(["cascade_clamp", "create"]);
    // Paging one at a time gives the same entries as one page.
    const paged = await allPages(h.staff, { organizationId: h.a.organizationId, limit: 1 });
    const whole = await h.staff.admin.audit.list.query({ organizationId: h.a.organizationId });
    expect(paged.map((e) => e.id)).toEqual(whole.entries.map((e) => e.id));
  });

  it("filters by days, both inclusive, in the time zone asked for", async () => {
    const staff = await createStaffUser(server);
    const t = await createTenant(server);
    const cfg = await staff.platform.config.get.query({ organizationId: t.organizationId });
    const platformId = cfg.features[0]!.id;
    // 23:30 UTC on 1 January is already 2 January in Paris.
    const at = (iso: string) => ({
      entityKind: "platform_config" as const,
      entityId: platformId,
      organizationId: t.organizationId,
      action: "update" as const,
      before: { featureType: "pdf_analysis", priorityLevel: 1 },
      after: { featureType: "pdf_analysis", priorityLevel: 2 },
      version: 2,
      createdAt: new Date(iso),
    });
    const rows = await server.services.db
      .insert(aiConfigAudit)
      .values([at("2026-01-01T23:30:00Z"), at("2026-01-03T12:00:00Z")])
      .returning({ id: aiConfigAudit.id });
    const ids = (input: { from?: string; to?: string; timeZone?: string }) =>
      staff.admin.audit.list
        .query({ organizationId: t.organizationId, ...input })
        .then((r) => r.entries.map((e) => e.id));
    expect(await ids({ from: "2026-01-02", to: "2026-01-02" })).toEqual([]);
    expect(await ids({ from: "2026-01-02", to: "2026-01-02", timeZone: "Europe/Paris" })).toEqual([
      rows[0]!.id,
    ]);
    expect(await ids({ from: "2026-01-01", to: "2026-01-01" })).toEqual([rows[0]!.id]);
    expect(await ids({ from: "2026-01-02" })).toEqual([rows[1]!.id]);
    expect(await ids({ to: "2026-01-03" })).toEqual([rows[1]!.id, rows[0]!.id]);
  });

  it("a staff rollback from the audit screen is audited with the staff member as actor", async () => {
    const h = await history();
    const { entries } = await h.staff.admin.audit.list.query({
      organizationId: h.a.organizationId,
      featureType: "field_extraction",
    });
    // Back to the owner's state (300 a day): the config is at version 3 after the staff change.
    const target = entries.find((e) => e.entityKind === "platform_config" && e.actor.id === h.ownerAId)!;
    const rolled = await h.staff.platform.config.rollback.mutate({
      organizationId: target.organizationId,
      auditId: target.id,
      expectedVersion: 3,
    });
    expect(rolled.config).toMatchObject({ maxRequestsPerDay: 300, version: 4 });
    const [latest] = (await h.staff.admin.audit.list.query({ organizationId: h.a.organizationId, limit: 1 }))
      .entries;
    expect(latest).toMatchObject({
      action: "rollback",
      actor: { kind: "user", id: h.staffId, isPlatformStaff: true },
      changes: [{ field: "maxRequestsPerDay", from: 200, to: 300 }],
      version: 4,
    });
  });

  it("refuses bad filters naming the field", async () => {
    const staff = await createStaffUser(server);
    const cases: Array<[unknown, string]> = [
      [{ timeZone: "Mars/Olympus_Mons" }, "timeZone"],
      [{ timeZone: "'; drop table users; --" }, "timeZone"],
      [{ from: "2026-02-01", to: "2026-01-01" }, "to"],
      [{ from: "2026-13-01" }, "from"],
      [{ from: "0001-01-01", timeZone: "Pacific/Kiritimati" }, "from"],
      [{ featureType: "mind_reading" }, "featureType"],
      [{ entityKind: "invoice" }, "entityKind"],
      [{ organizationId: "not-a-uuid" }, "organizationId"],
      [{ limit: 0 }, "limit"],
      [{ actor: "" }, "actor"],
    ];
    for (const [input, field] of cases) {
      const e = await expectError(staff.admin.audit.list.query(input as never), "BAD_REQUEST");
      expect({ input, fields: fieldsOf(e) }).toEqual({ input, fields: [field] });
    }
    // An actor that matches nobody is simply no entries.
    const nobody = await staff.admin.audit.list.query({ actor: randomUUID() });
    expect(nobody.entries).toEqual([]);
  });
});
