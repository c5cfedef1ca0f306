/**
 * Realtime: tRPC subscriptions over SSE fed by LISTEN/NOTIFY. Tenant isolation on every stream,
 * resumption with lastEventId (what was missed, once, in order), usage events, cleanup on close.
 */
import type { RunningServer } from "@wedsync/api/server";
import type { RouterOutputs } from "@wedsync/client";
import { aiConfigAudit } from "@wedsync/core";
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { itemsBefore } from "./harness/markers";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { subscribe } from "./harness/subscriptions";
import { createStaffUser, createTenant } from "./harness/tenant";
import { usageRows } from "./harness/usage";

type ConfigChange = RouterOutputs["platform"]["onConfigChange"] extends AsyncIterable<infer T> ? T : never;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function auditIdsOf(organizationId: string) {
  const rows = await server.services.db
    .select({ id: aiConfigAudit.id })
    .from(aiConfigAudit)
    .where(eq(aiConfigAudit.organizationId, organizationId))
    .orderBy(asc(aiConfigAudit.id));
  return rows.map((r) => String(r.id));
}

/** `n` sequential priority changes to one feature (each based on the version the last returned). */
async function changePriority(
  owner: Awaited<ReturnType<Awaited<ReturnType<typeof createTenant>>["as"]>>,
  n: number,
) {
  let version = (await owner.platform.config.get.query()).features.find(
    (c) => c.featureType === "field_extraction",
  )!.version;
  for (let i = 0; i < n; i++) {
    const { config } = await owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: version,
      patch: { priorityLevel: version % 2 === 0 ? 1 : 2 },
    });
    version = config.version;
  }
}

/**
 * One more change, as a marker: its audit id, which its event carries. Events arrive in commit
 * order, so once the marker's has arrived, nothing an earlier change caused is still on its way.
 */
async function marker(owner: Parameters<typeof changePriority>[0], organizationId: string): Promise<string> {
  await changePriority(owner, 1);
  return (await auditIdsOf(organizationId)).at(-1)!;
}

describe("platform.onConfigChange", () => {
  it("two organizations changing at once: each subscriber gets exactly its own organization's changes", async () => {
    const [a, b] = await Promise.all([createTenant(server), createTenant(server)]);
    const [ownerA, ownerB, memberA, memberB] = await Promise.all([
      a.as("owner"),
      b.as("owner"),
      a.as("member"),
      b.as("member"),
    ]);
    const subA = subscribe<ConfigChange>((h) => memberA.platform.onConfigChange.subscribe({}, h));
    const subB = subscribe<ConfigChange>((h) => memberB.platform.onConfigChange.subscribe({}, h));
    await Promise.all([subA.started, subB.started]);

    await Promise.all([
      changePriority(ownerA, 5),
      changePriority(ownerB, 4),
      ownerB.platform.features.toggle.mutate({
        toggles: [{ featureType: "smart_mapping", isEnabled: false }],
      }),
    ]);
    const [idsA, idsB] = await Promise.all([auditIdsOf(a.organizationId), auditIdsOf(b.organizationId)]);
    expect(idsA).toHaveLength(5);
    expect(idsB).toHaveLength(5);
    await Promise.all([subA.waitFor(idsA.length), subB.waitFor(idsB.length)]);
    // Anything misrouted would have arrived before each organization's next change.
    const [markerA, markerB] = [
      await marker(ownerA, a.organizationId),
      await marker(ownerB, b.organizationId),
    ];
    const [gotA, gotB] = await Promise.all([itemsBefore(subA, markerA), itemsBefore(subB, markerB)]);
    expect(gotA.map((i) => i.id)).toEqual(idsA);
    expect(gotB.map((i) => i.id)).toEqual(idsB);
    expect(gotA.every((i) => i.data.organizationId === a.organizationId)).toBe(true);
    expect(gotB.every((i) => i.data.organizationId === b.organizationId)).toBe(true);
    // The event carries the audited change itself.
    const toggle = gotB.find((i) => i.data.action === "toggle")!;
    expect(toggle.data).toMatchObject({
      featureType: "smart_mapping",
      entityKind: "platform_config",
      after: { isEnabled: false },
      before: { isEnabled: true },
    });
    subA.stop();
    subB.stop();
  });

  it("reconnecting with lastEventId delivers exactly what was missed, in order, then live changes", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const first = subscribe<ConfigChange>((h) => member.platform.onConfigChange.subscribe({}, h));
    await first.started;
    await changePriority(owner, 2);
    const seen = await first.waitFor(2);
    first.stop();

    await changePriority(owner, 3); // while disconnected
    const resumed = subscribe<ConfigChange>((h) =>
      member.platform.onConfigChange.subscribe({ lastEventId: seen.at(-1)!.id }, h),
    );
    await resumed.waitFor(3);
    await changePriority(owner, 1); // live again
    await resumed.waitFor(4);
    const got = await itemsBefore(resumed, await marker(owner, t.organizationId)); // no duplicate before it
    const all = (await auditIdsOf(t.organizationId)).slice(0, -1); // the marker aside
    expect(all).toHaveLength(6);
    expect(got.map((i) => i.id)).toEqual(all.slice(2));
    expect(got.map((i) => i.data.version)).toEqual([4, 5, 6, 7]);
    resumed.stop();
  });

  it("a fresh subscriber starts from now: no history is replayed", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    await changePriority(owner, 2);
    const sub = subscribe<ConfigChange>((h) => member.platform.onConfigChange.subscribe({}, h));
    await sub.started;
    await changePriority(owner, 1);
    await sub.waitFor(1);
    const got = await itemsBefore(sub, await marker(owner, t.organizationId)); // no late replay before it
    expect(got.map((i) => i.data.version)).toEqual([4]);
    sub.stop();
  });

  it("platform staff can follow any organization; an API key follows its own", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    const staff = await createStaffUser(server);
    const { client: keyClient } = await t.apiKey("member");
    const viaStaff = subscribe<ConfigChange>((h) =>
      staff.platform.onConfigChange.subscribe({ organizationId: t.organizationId }, h),
    );
    const viaKey = subscribe<ConfigChange>((h) => keyClient.platform.onConfigChange.subscribe({}, h));
    await Promise.all([viaStaff.started, viaKey.started]);
    await changePriority(owner, 1);
    expect((await viaStaff.waitFor(1))[0]!.data.organizationId).toBe(t.organizationId);
    expect((await viaKey.waitFor(1))[0]!.data.organizationId).toBe(t.organizationId);
    viaStaff.stop();
    viaKey.stop();
  });

  it("a malformed lastEventId is refused with the field named", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const sub = subscribe<ConfigChange>((h) =>
      member.platform.onConfigChange.subscribe({ lastEventId: "12; drop table" }, h),
    );
    const e = await expectError(sub.waitFor(1), "BAD_REQUEST");
    expect(e.message).toContain("lastEventId");
    sub.stop();
  });
});

describe("a bulk change that fails part-way", () => {
  it("changes nothing and announces nothing", async () => {
    const staff = await createStaffUser(server);
    const [first, second, third] = await Promise.all([1, 2, 3].map(() => createTenant(server)));
    const watchers = await Promise.all([first!, second!, third!].map((t) => t.as("member")));
    const subs = watchers.map((m) =>
      subscribe<ConfigChange>((h) => m.platform.onConfigChange.subscribe({}, h)),
    );
    await Promise.all(subs.map((s) => s.started));
    const before = await Promise.all([first!, second!, third!].map((t) => auditIdsOf(t.organizationId)));
    // The database fails on the third organization's row, after the first two were updated in
    // the same transaction (a trigger stands in for a crash, a constraint, a lost connection).
    const fn = `fail_${third!.organizationId.replaceAll("-", "")}`;
    await server.services.db.execute(
      sql.raw(`create function ${fn}() returns trigger language plpgsql as $$
        begin raise exception 'simulated failure part-way'; end $$`),
    );
    await server.services.db.execute(
      sql.raw(`create trigger ${fn} before update on ai_platform_configs for each row
        when (new.organization_id = '${third!.organizationId}') execute function ${fn}()`),
    );
    try {
      await expectError(
        staff.platform.features.toggle.mutate({
          organizationIds: [first!.organizationId, second!.organizationId, third!.organizationId],
          toggles: [{ featureType: "field_extraction", isEnabled: false }],
        }),
        "INTERNAL_SERVER_ERROR",
      );
    } finally {
      await server.services.db.execute(sql.raw(`drop trigger ${fn} on ai_platform_configs`));
      await server.services.db.execute(sql.raw(`drop function ${fn}()`));
    }
    for (const t of [first!, second!]) {
      const cfg = await (await t.as("member")).platform.config.get.query();
      expect(cfg.features.find((f) => f.featureType === "field_extraction")).toMatchObject({
        isEnabled: true,
        version: 1,
      });
    }
    const after = await Promise.all([first!, second!, third!].map((t) => auditIdsOf(t.organizationId)));
    expect(after).toEqual(before);
    // Nothing was announced: each organization's next change is the first event its subscriber gets.
    const markers: string[] = [];
    for (const t of [first!, second!, third!])
      markers.push(await marker(await t.as("owner"), t.organizationId));
    const got = await Promise.all(subs.map((s, i) => itemsBefore(s, markers[i]!)));
    expect(got.map((items) => items.length)).toEqual([0, 0, 0]);
    for (const s of subs) s.stop();
  });
});

describe("clients.onConfigChange", () => {
  it("carries that client's overrides and the platform's changes, never another client's", async () => {
    const t = await createTenant(server, { clients: 2 });
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const [mine, theirs] = t.clientIds as [string, string];
    const sub = subscribe<ConfigChange>((h) =>
      member.clients.onConfigChange.subscribe({ clientId: mine }, h),
    );
    await sub.started;
    await member.clients.config.update.mutate({
      clientId: theirs,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 10 },
    });
    await member.clients.config.update.mutate({
      clientId: mine,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 20 },
    });
    await changePriority(owner, 1);
    await sub.waitFor(2);
    // Another platform change marks the end: the other client's change never arrived before it.
    const items = await itemsBefore(sub, await marker(owner, t.organizationId));
    expect(items).toHaveLength(2);
    expect(items[0]!.data).toMatchObject({ entityKind: "client_config", clientId: mine });
    expect(items[0]!.data.after).toMatchObject({ overrides: { maxRequestsPerDay: 20 } });
    expect(items[1]!.data).toMatchObject({ entityKind: "platform_config", clientId: null });
    sub.stop();
  });

  it("a platform change that clamps the client's override arrives with the clamp", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const clientId = t.clientIds[0]!;
    await member.clients.config.update.mutate({
      clientId,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 500 },
    });
    const sub = subscribe<ConfigChange>((h) => member.clients.onConfigChange.subscribe({ clientId }, h));
    await sub.started;
    await owner.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { maxRequestsPerDay: 100 },
    });
    const items = await sub.waitFor(2);
    expect(items.map((i) => i.data.action).sort()).toEqual(["cascade_clamp", "update"]);
    const clamp = items.find((i) => i.data.action === "cascade_clamp")!;
    expect(clamp.data.after).toMatchObject({ overrides: { maxRequestsPerDay: 100 } });
    sub.stop();
  });
});

describe("usage.onUsage", () => {
  it("streams every completed and rejected request with its feature, client, cost and tokens", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const other = await createTenant(server);
    const otherMember = await other.as("member");
    const sub = subscribe<RouterOutputs["usage"]["onUsage"] extends AsyncIterable<infer T> ? T : never>((h) =>
      member.usage.onUsage.subscribe({}, h),
    );
    await sub.started;
    const texts = ["Emma & Liam, 12 June 2027", "Guests: 120, budget £18,000", "Venue: Kew Gardens"];
    for (const text of texts) {
      await member.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text },
      });
    }
    // Another organization's usage at the same time must not show up here.
    await otherMember.clients.process.mutate({
      clientId: other.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: "Someone else's wedding" },
    });
    await owner.platform.features.toggle.mutate({
      toggles: [{ featureType: "field_extraction", isEnabled: false }],
    });
    await expectError(
      member.clients.process.mutate({
        clientId: t.clientIds[1]!,
        featureType: "field_extraction",
        input: { text: "x y" },
      }),
      "FORBIDDEN",
    );
    await sub.waitFor(4);
    // One more refused request marks the end: nothing else arrived before its event.
    await expectError(
      member.clients.process.mutate({
        clientId: t.clientIds[1]!,
        featureType: "field_extraction",
        input: { text: "the marker" },
      }),
      "FORBIDDEN",
    );
    const withMarker = (await usageRows(server, t.organizationId)).sort(
      (x, y) => Number(x.eventSeq) - Number(y.eventSeq),
    );
    const markerId = String(withMarker.at(-1)!.eventSeq);
    const items = await itemsBefore(sub, markerId);
    expect(items).toHaveLength(4);
    const rows = withMarker.slice(0, -1);
    expect(items.map((i) => i.data.requestId)).toEqual(rows.map((r) => r.requestId));
    for (const [i, row] of rows.entries()) {
      expect(items[i]!.id).toBe(String(row.eventSeq));
      expect(items[i]!.data).toMatchObject({
        featureType: "field_extraction",
        clientId: row.clientId,
        status: row.status,
        costUsd: row.costUsd,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
      });
    }
    expect(items.map((i) => i.data.status)).toEqual(["succeeded", "succeeded", "succeeded", "rejected"]);
    expect(items[3]!.data.rejectionReason).toBeTruthy();

    // Resuming after the second event replays the ones after it: the last two and the marker.
    sub.stop();
    const resumed = subscribe<(typeof items)[number]>((h) =>
      member.usage.onUsage.subscribe({ lastEventId: items[1]!.id }, h),
    );
    const replayed = await resumed.waitFor(3);
    expect(replayed.map((i) => i.id)).toEqual([...items.slice(2).map((i) => i.id), markerId]);
    resumed.stop();
  });
});

describe("stream lifecycle", () => {
  it("closing a subscription releases its listener on the server", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const before = server.services.events.subscriberCount();
    const subs = [1, 2, 3].map(() =>
      subscribe<ConfigChange>((h) => member.platform.onConfigChange.subscribe({}, h)),
    );
    await Promise.all(subs.map((s) => s.started));
    // The generator subscribes on its first step, just after the stream opens.
    await expect.poll(() => server.services.events.subscriberCount()).toBe(before + 3);
    for (const s of subs) s.stop();
    await expect.poll(() => server.services.events.subscriberCount()).toBe(before);
  });

  it("a malformed NOTIFY payload is ignored and counted; the stream goes on", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const sub = subscribe<ConfigChange>((h) => member.platform.onConfigChange.subscribe({}, h));
    await sub.started;
    server.services.events.receive('{"events":[{"kind":"config","organizationId":42}]}');
    server.services.events.receive("not json");
    await changePriority(owner, 1);
    await sub.waitFor(1);
    const metrics = await server.services.metrics.registry.getSingleMetricAsString(
      "wedsync_events_malformed_total",
    );
    expect(metrics).toMatch(/wedsync_events_malformed_total 2/);
    sub.stop();
  });
});

describe.skipIf(postgresOnly !== null)(skipNote("a lost LISTEN connection", postgresOnly), () => {
  it("reconnects, replays what was committed meanwhile, and drops cached configurations", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    const sub = subscribe<ConfigChange>((h) => member.platform.onConfigChange.subscribe({}, h));
    await sub.started;
    await expect.poll(() => server.services.events.subscriberCount()).toBeGreaterThan(1);
    const resyncs = () => metricValue("wedsync_event_listener_resyncs_total");
    const cacheDrops = () => metricValue('wedsync_config_cache_invalidations_total{cause="resync"}');
    const before = await resyncs();
    const dropsBefore = await cacheDrops();
    await server.services.configs.get(t.organizationId, "field_extraction", null); // cached now

    const name = server.database.listenerName!;
    await server.services.db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name}`,
    );
    await changePriority(owner, 1); // most likely while nobody listens: its NOTIFY is lost
    const [change] = await sub.waitFor(1, 15_000);
    expect(change!.data).toMatchObject({ organizationId: t.organizationId, version: 2 });
    await expect.poll(resyncs, { timeout: 15_000 }).toBe(before + 1);
    expect(await cacheDrops()).toBeGreaterThan(dropsBefore);
    const got = await itemsBefore(sub, await marker(owner, t.organizationId), 15_000);
    expect(got).toHaveLength(1); // replayed or live, never both
    sub.stop();
  });
});

async function metricValue(name: string): Promise<number> {
  const text = await server.services.metrics.registry.metrics();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}
