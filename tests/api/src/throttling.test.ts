/**
 * Emergency throttling: staff refuse or cap AI requests of one organization, one feature or the
 * whole platform. Checked first in admission on both paths (/trpc and /v1), answered with the
 * scope, the reason and Retry-After, never billed, audited, lifted by hand or at expiry, and — on
 * PostgreSQL — in force on a second instance within a second.
 *
 * Platform and feature throttles reach every organization of the database, so on PostgreSQL this
 * file runs on a database of its own (the other suites share theirs).
 */

import { randomUUID } from "node:crypto";
import { hashPassword } from "@wedsync/api/passwords";
import type { RunningServer } from "@wedsync/api/server";
import {
  createWedsyncClient,
  createWedsyncSessionClient,
  type RouterOutputs,
  type WedsyncClient,
} from "@wedsync/client";
import { type Cluster, startCluster } from "@wedsync/cluster";
import { aiConfigAudit, aiModelPrices, organizations, users } from "@wedsync/core";
import { and, asc, eq } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientError, expectError, fieldsOf } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { subscribe } from "./harness/subscriptions";
import { createTenant, TEST_PASSWORD, type Tenant } from "./harness/tenant";
import { countersOf, usageRows } from "./harness/usage";

const onPostgres = process.env.TEST_DB === "postgres";
const redisUrl = process.env.REDIS_URL;
const TEXT = "Emma & Liam, 12 June 2027, Kew Gardens, 120 guests, emma@example.com";

type ConfigChange = RouterOutputs["platform"]["onConfigChange"] extends AsyncIterable<infer T> ? T : never;

/** A PostgreSQL database for this file alone (dropped at the end); null on PGlite. */
let ownDatabase: { url: string; drop: () => Promise<void> } | null = null;
let server: RunningServer;
let staff: WedsyncClient;
let staffUserId: string;

async function createOwnDatabase() {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `wedsync_throttle_${randomUUID().slice(0, 8)}`;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A staff member (by name, for the lists), signed in on `url`. */
async function staffMember(srv: RunningServer, name: string) {
  const email = `staff-${randomUUID().slice(0, 8)}@wedsync.test`;
  const [user] = await srv.services.db
    .insert(users)
    .values({ email, name, passwordHash: await hashPassword(TEST_PASSWORD), isPlatformStaff: true })
    .returning();
  const signInAt = async (url: string) => {
    const client = createWedsyncSessionClient({ url });
    await client.auth.login.mutate({ email, password: TEST_PASSWORD });
    return client;
  };
  return { id: user!.id, signInAt };
}

beforeAll(async () => {
  if (onPostgres) ownDatabase = await createOwnDatabase();
  server = await startTestServer(ownDatabase ? { databaseUrl: ownDatabase.url } : {});
  // The local rules engine costs $0 at list price: priced here (this file's database only) so
  // that a request that is billed shows, and one that is not does too.
  await server.services.db.insert(aiModelPrices).values({
    provider: "local",
    model: "local-rules",
    inputPerMillion: "1000.000000",
    cachedInputPerMillion: "0.000000",
    outputPerMillion: "0.000000",
    effectiveFrom: new Date("2025-06-01T00:00:00Z"),
  });
  const member = await staffMember(server, "Sam Staff");
  staffUserId = member.id;
  staff = await member.signInAt(server.url);
}, 120_000);
afterAll(async () => {
  await server?.close();
  await ownDatabase?.drop();
});

const extract = (c: WedsyncClient, clientId: string, featureType: "field_extraction" = "field_extraction") =>
  c.clients.process.mutate({ clientId, featureType, input: { text: TEXT } });
const mapFields = (c: WedsyncClient, clientId: string) =>
  c.clients.process.mutate({
    clientId,
    featureType: "smart_mapping",
    input: { sourceFields: [{ name: "bride", value: "Emma" }], targetLabels: ["Partner 1"] },
  });

/** clients.process over plain HTTP, to read the status and Retry-After header. */
async function rawProcess(key: string, clientId: string) {
  const res = await fetch(`${server.url}/trpc/clients.process`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ json: { clientId, featureType: "field_extraction", input: { text: TEXT } } }),
  });
  const body = (await res.json()) as { error?: { json: { message: string; data: { code: string } } } };
  return { status: res.status, retryAfter: res.headers.get("retry-after"), error: body.error?.json ?? null };
}

/** Lift whatever a test left in force, so the next one starts from none. */
async function liftAll() {
  const { items } = await staff.throttles.list.query({ active: true, limit: 200 });
  for (const t of items) await staff.throttles.lift.mutate({ id: t.id });
}

async function withThrottle<T>(
  input: Parameters<WedsyncClient["throttles"]["set"]["mutate"]>[0],
  body: (throttle: RouterOutputs["throttles"]["set"]) => Promise<T>,
): Promise<T> {
  const throttle = await staff.throttles.set.mutate(input);
  try {
    return await body(throttle);
  } finally {
    await liftAll();
  }
}

describe("emergency throttles", () => {
  it("refusing an organization: its requests get SERVICE_UNAVAILABLE naming scope and reason, with Retry-After, on /trpc and /v1; others are unaffected", async () => {
    const [a, b] = [await createTenant(server), await createTenant(server)];
    const { key } = await a.apiKey("member");
    const memberB = await b.as("member");
    const expiresAt = new Date(Date.now() + 10 * 60_000);
    await withThrottle(
      {
        scope: "organization",
        organizationId: a.organizationId,
        mode: "refuse",
        reason: "suspected scraping",
        expiresAt: expiresAt.toISOString(),
      },
      async (throttle) => {
        expect(throttle).toMatchObject({
          scope: "organization",
          mode: "refuse",
          reason: "suspected scraping",
        });
        const res = await rawProcess(key, a.clientIds[0]!);
        expect(res.status).toBe(503);
        expect(res.error?.data.code).toBe("SERVICE_UNAVAILABLE");
        expect(res.error?.message).toContain("paused by WedSync for this organization");
        expect(res.error?.message).toContain("reason: suspected scraping");
        expect(res.error?.message).toContain(expiresAt.toISOString());
        // Retry-After: the seconds until the throttle expires.
        const retryAfter = Number(res.retryAfter);
        expect(retryAfter).toBeGreaterThan(590);
        expect(retryAfter).toBeLessThanOrEqual(600);

        // The OpenAI-compatible path goes through the same admission.
        const v1 = await fetch(`${server.url}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ role: "user", content: TEXT }] }),
        });
        expect(v1.status).toBe(503);
        expect(Number(v1.headers.get("retry-after"))).toBeGreaterThan(590);
        const v1Body = (await v1.json()) as { error: { code: string; message: string } };
        expect(v1Body.error).toMatchObject({ code: "throttled" });
        expect(v1Body.error.message).toContain("suspected scraping");

        // Another organization is not reached.
        const ok = await extract(memberB, b.clientIds[0]!);
        expect(ok.usage.requestId).toBeTruthy();

        // Its banner says so; the other's is empty.
        const banner = await (await a.as("member")).throttles.active.query({});
        expect(banner.throttles).toEqual([
          expect.objectContaining({ scope: "organization", mode: "refuse", reason: "suspected scraping" }),
        ]);
        expect((await memberB.throttles.active.query({})).throttles).toEqual([]);
      },
    );
    // Lifted: admitted again.
    expect((await rawProcess(key, a.clientIds[0]!)).status).toBe(200);
  });

  it("a feature throttle reaches that feature on every organization, and no other feature", async () => {
    const [a, b] = [await createTenant(server), await createTenant(server)];
    const [memberA, memberB] = [await a.as("member"), await b.as("member")];
    await withThrottle(
      {
        scope: "feature",
        featureType: "field_extraction",
        mode: "refuse",
        reason: "extraction model misbehaving",
      },
      async () => {
        for (const [m, t] of [
          [memberA, a],
          [memberB, b],
        ] as const) {
          const e = await expectError(extract(m, t.clientIds[0]!), "SERVICE_UNAVAILABLE");
          expect(e.message).toContain("field extraction on every organization");
          expect(e.data?.details).toMatchObject({ reason: "throttled", retryAfterSeconds: 60 });
          await mapFields(m, t.clientIds[0]!); // another feature: admitted
        }
        const banner = await memberA.throttles.active.query({});
        expect(banner.throttles).toEqual([
          expect.objectContaining({ scope: "feature", featureType: "field_extraction", expiresAt: null }),
        ]);
      },
    );
    await extract(memberA, a.clientIds[0]!);
  });

  it("a platform throttle reaches every organization and feature", async () => {
    const [a, b] = [await createTenant(server), await createTenant(server)];
    const [memberA, memberB] = [await a.as("member"), await b.as("member")];
    await withThrottle({ scope: "platform", mode: "refuse", reason: "database failover" }, async () => {
      const e = await expectError(extract(memberA, a.clientIds[0]!), "SERVICE_UNAVAILABLE");
      expect(e.message).toContain("the whole platform");
      await expectError(mapFields(memberB, b.clientIds[0]!), "SERVICE_UNAVAILABLE");
    });
    await extract(memberA, a.clientIds[0]!);
    await mapFields(memberB, b.clientIds[0]!);
  });

  it("a cap lets N a minute through and refuses the next with TOO_MANY_REQUESTS and Retry-After; the smaller cap wins", async () => {
    const [a, b] = [await createTenant(server), await createTenant(server)];
    const { key } = await a.apiKey("member");
    const [memberA, memberB] = [await a.as("member"), await b.as("member")];
    await staff.throttles.set.mutate({
      scope: "organization",
      organizationId: a.organizationId,
      mode: "cap",
      perMinute: 5,
      reason: "runaway integration",
    });
    await withThrottle(
      {
        scope: "feature",
        featureType: "field_extraction",
        mode: "cap",
        perMinute: 3,
        reason: "provider quota",
      },
      async () => {
        for (let i = 0; i < 3; i++) await extract(memberA, a.clientIds[0]!);
        const res = await rawProcess(key, a.clientIds[0]!);
        expect(res.status).toBe(429);
        expect(res.error?.data.code).toBe("TOO_MANY_REQUESTS");
        expect(res.error?.message).toContain("limited by WedSync to 3 a minute");
        expect(Number(res.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(res.retryAfter)).toBeLessThanOrEqual(60);
        // The feature cap is shared by every organization: B's extraction is refused too…
        await expectError(extract(memberB, b.clientIds[0]!), "TOO_MANY_REQUESTS");
        // …while A's other features count against A's own cap of 5 (3 used): 2 more, then refused.
        await mapFields(memberA, a.clientIds[0]!);
        await mapFields(memberA, a.clientIds[0]!);
        const e = await expectError(mapFields(memberA, a.clientIds[0]!), "TOO_MANY_REQUESTS");
        expect(e.message).toContain("limited by WedSync to 5 a minute for this organization");
        expect(e.data?.details).toMatchObject({ reason: "throttled", limit: 5 });
      },
    );
    const rows = await usageRows(server, a.organizationId);
    expect(rows.filter((r) => r.status === "succeeded")).toHaveLength(5);
    expect(rows.filter((r) => r.rejectionReason === "throttled")).toHaveLength(2);
  });

  it("expiry lifts it by itself: refused until expiresAt, admitted after, with no event or write", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const expiresAt = new Date(Date.now() + 1_500);
    await staff.throttles.set.mutate({
      scope: "organization",
      organizationId: t.organizationId,
      mode: "refuse",
      reason: "short maintenance",
      expiresAt: expiresAt.toISOString(),
    });
    const e = await expectError(extract(member, t.clientIds[0]!), "SERVICE_UNAVAILABLE");
    expect(e.data?.details?.retryAfterSeconds).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() - Date.now()) + 50));
    await extract(member, t.clientIds[0]!);
    expect((await member.throttles.active.query({})).throttles).toEqual([]);
    const { items } = await staff.throttles.list.query({ limit: 5 });
    expect(items.find((i) => i.organizationId === t.organizationId)).toMatchObject({
      status: "expired",
      liftedAt: null,
    });
    // An expired throttle cannot be lifted.
    const id = items.find((i) => i.organizationId === t.organizationId)!.id;
    await expectError(staff.throttles.lift.mutate({ id }), "CONFLICT");
  });

  it("lifted by hand: admitted at once; the history keeps it, with who set and lifted it", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const set = await staff.throttles.set.mutate({
      scope: "organization",
      organizationId: t.organizationId,
      mode: "refuse",
      reason: "billing dispute",
    });
    await expectError(extract(member, t.clientIds[0]!), "SERVICE_UNAVAILABLE");
    const active = await staff.throttles.list.query({ active: true });
    expect(active.items.map((i) => i.id)).toContain(set.id);
    const lifted = await staff.throttles.lift.mutate({ id: set.id });
    expect(lifted.liftedAt).toBeInstanceOf(Date);
    await extract(member, t.clientIds[0]!);

    const ended = await staff.throttles.list.query({ active: false });
    expect(ended.items.find((i) => i.id === set.id)).toMatchObject({
      status: "lifted",
      organizationName: expect.stringContaining(t.slug),
      reason: "billing dispute",
      createdBy: { id: staffUserId, name: "Sam Staff" },
      liftedBy: { id: staffUserId, name: "Sam Staff" },
    });
    expect((await staff.throttles.list.query({ active: true })).items.map((i) => i.id)).not.toContain(set.id);
    const again = await expectError(staff.throttles.lift.mutate({ id: set.id }), "CONFLICT");
    expect(again.message).toContain("already lifted");
    await expectError(staff.throttles.lift.mutate({ id: randomUUID() }), "NOT_FOUND");
  });

  it("pages through the history newest first", async () => {
    const t = await createTenant(server);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const s = await staff.throttles.set.mutate({
        scope: "organization",
        organizationId: t.organizationId,
        mode: "cap",
        perMinute: 100 + i,
        reason: `page ${i}`,
      });
      ids.push(s.id);
    }
    await liftAll();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await staff.throttles.list.query({ limit: 2, cursor });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id))).toEqual([...ids].reverse());
    const bad = await expectError(staff.throttles.list.query({ cursor: "nonsense" }), "BAD_REQUEST");
    expect(fieldsOf(bad)).toEqual(["cursor"]);
  });

  it("supplier owners and admins cannot set or lift one (FORBIDDEN), by session or API key; members see their banner", async () => {
    const t = await createTenant(server);
    const set = await staff.throttles.set.mutate({
      scope: "organization",
      organizationId: t.organizationId,
      mode: "refuse",
      reason: "investigating",
    });
    try {
      const callers = [await t.as("owner"), await t.as("admin"), (await t.apiKey("admin")).client];
      for (const c of callers) {
        const e = await expectError(c.throttles.lift.mutate({ id: set.id }), "FORBIDDEN");
        expect(e.message).toMatch(/Platform staff only|not an API key/);
        await expectError(
          c.throttles.set.mutate({
            scope: "organization",
            organizationId: t.organizationId,
            mode: "refuse",
            reason: "x",
          }),
          "FORBIDDEN",
        );
        await expectError(c.throttles.list.query({}), "FORBIDDEN");
      }
      const banner = await (await t.as("member")).throttles.active.query({});
      expect(banner.throttles.map((b) => b.id)).toEqual([set.id]);
      expect((await staff.throttles.list.query({ active: true })).items[0]).toMatchObject({
        id: set.id,
        status: "active",
      });
    } finally {
      await liftAll();
    }
  });

  it("nothing is billed for refused requests: usage cost, counters and the invoice preview do not move", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    const member = await t.as("member");
    const admitted = await extract(member, t.clientIds[0]!);
    expect(admitted.usage.costUsd).not.toBe("0.000000"); // priced: a billed request shows
    const day = new Date().toISOString().slice(0, 10);
    const preview = () => owner.billing.invoices.preview.query({ from: day, to: day });
    const before = await preview();
    const countersBefore = await countersOf(server, t.organizationId);
    expect(before.invoice.totals.subtotalMicros).toBeGreaterThan(0n);

    await withThrottle(
      { scope: "organization", organizationId: t.organizationId, mode: "refuse", reason: "fraud check" },
      async () => {
        for (let i = 0; i < 5; i++)
          await expectError(extract(member, t.clientIds[0]!), "SERVICE_UNAVAILABLE");
      },
    );
    const after = await preview();
    expect(after.invoice.totals).toEqual(before.invoice.totals);
    const countersAfter = await countersOf(server, t.organizationId);
    expect(countersAfter.orgDaily).toEqual(countersBefore.orgDaily);
    expect(countersAfter.monthly).toEqual(countersBefore.monthly);
    // Recorded like the other refusals before the caps: rejected rows, reason "throttled", no cost.
    const rows = await usageRows(server, t.organizationId);
    const refused = rows.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(5);
    for (const r of refused) {
      expect(r.rejectionReason).toBe("throttled");
      expect(Number(r.costUsd ?? 0)).toBe(0);
      expect(r.reservedMicros ?? 0n).toBe(0n);
    }
  });

  it("set and lift are audited with the staff member as actor, once per organization reached, and reach open dashboards live", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    const live = subscribe<ConfigChange>((h) => owner.platform.onConfigChange.subscribe({}, h));
    await live.started;
    const set = await staff.throttles.set.mutate({
      scope: "organization",
      organizationId: t.organizationId,
      mode: "cap",
      perMinute: 20,
      reason: "audit me",
    });
    await staff.throttles.lift.mutate({ id: set.id });
    const [created, lifted] = await live.waitFor(2, 5_000);
    live.stop();
    expect(created!.data).toMatchObject({
      entityKind: "throttle",
      entityId: set.id,
      action: "create",
      actorUserId: staffUserId,
      after: { scope: "organization", mode: "cap", perMinute: 20, reason: "audit me", liftedAt: null },
    });
    expect(lifted!.data).toMatchObject({
      entityKind: "throttle",
      action: "update",
      before: { liftedAt: null },
      after: { liftedAt: expect.any(String) },
    });
    const rows = await server.services.db
      .select()
      .from(aiConfigAudit)
      .where(eq(aiConfigAudit.entityId, set.id))
      .orderBy(asc(aiConfigAudit.id));
    expect(rows.map((r) => [r.organizationId, r.action, r.actorUserId, r.version])).toEqual([
      [t.organizationId, "create", staffUserId, 1],
      [t.organizationId, "update", staffUserId, 2],
    ]);
    // Not a setting: the organization's configuration history leaves it out.
    const history = await owner.platform.audit.list.query({});
    expect(history.entries.some((e) => e.entityId === set.id)).toBe(false);

    // A platform throttle is audited once for every organization.
    const platform = await staff.throttles.set.mutate({
      scope: "platform",
      mode: "cap",
      perMinute: 1_000,
      reason: "all",
    });
    await liftAll();
    const everyOrg = await server.services.db.select({ id: organizations.id }).from(organizations);
    const platformRows = await server.services.db
      .select()
      .from(aiConfigAudit)
      .where(and(eq(aiConfigAudit.entityId, platform.id), eq(aiConfigAudit.action, "create")));
    expect(platformRows.map((r) => r.organizationId).sort()).toEqual(everyOrg.map((o) => o.id).sort());
  });

  it("bad input is refused naming the field: past expiry, organization scope without one, perMinute 0, an unknown organization", async () => {
    const past = await expectError(
      staff.throttles.set.mutate({
        scope: "platform",
        mode: "refuse",
        reason: "late",
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(past)).toEqual(["expiresAt"]);
    expect(past.message).toContain("must be in the future");
    const noOrg = await expectError(
      staff.throttles.set.mutate({ scope: "organization", mode: "refuse", reason: "who?" }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(noOrg)).toEqual(["organizationId"]);
    const zero = await expectError(
      staff.throttles.set.mutate({ scope: "platform", mode: "cap", perMinute: 0, reason: "zero" }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(zero)).toEqual(["perMinute"]);
    const noReason = await expectError(
      staff.throttles.set.mutate({ scope: "platform", mode: "refuse", reason: " " }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(noReason)).toEqual(["reason"]);
    const nul = await expectError(
      staff.throttles.set.mutate({ scope: "platform", mode: "refuse", reason: "a\u0000b" }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(nul)).toEqual(["reason"]);
    const farCursor = `-271821-04-20T00:00:00.000Z|${randomUUID()}`;
    await expectError(staff.throttles.list.query({ cursor: farCursor }), "BAD_REQUEST");
    const unknown = await expectError(
      staff.throttles.set.mutate({
        scope: "organization",
        organizationId: randomUUID(),
        mode: "refuse",
        reason: "x",
      }),
      "NOT_FOUND",
    );
    expect(fieldsOf(unknown)).toEqual(["organizationId"]);
    await expectError(staff.throttles.lift.mutate({ id: "not-a-uuid" }), "BAD_REQUEST");
    expect((await staff.throttles.list.query({ active: true })).items).toEqual([]);
  });
});

describe.skipIf(!onPostgres || !redisUrl)(
  skipNote("throttles across two instances", postgresOnly ?? (redisUrl ? null : "needs REDIS_URL")),
  () => {
    let cluster: Cluster;
    let setup: RunningServer;

    beforeAll(async () => {
      cluster = await startCluster({ instances: 2, databaseUrl: ownDatabase!.url, redisUrl: redisUrl! });
      setup = await startTestServer({ databaseUrl: ownDatabase!.url, upstash: cluster.upstash });
    }, 180_000);
    afterAll(async () => {
      await setup?.close();
      await cluster?.stop();
    });

    /**
     * Milliseconds from `since` until `request` ends as `want` for good: a request is sent every
     * 20 ms (not one after another, so a slow answer does not hide the moment), and the result is
     * when the first of the unbroken run of `want` answers at the end was sent. Fails after 5 s.
     */
    async function timeUntil(since: number, request: () => Promise<unknown>, want: "refused" | "admitted") {
      const sent: Array<{ at: number; outcome: string | null }> = [];
      while (sent.filter((s) => s.outcome === want).length < 5) {
        if (performance.now() - since > 5_000) throw new Error(`still not ${want} after 5 s`);
        const entry = { at: performance.now() - since, outcome: null as string | null };
        sent.push(entry);
        void request().then(
          () => (entry.outcome = "admitted"),
          (err: ClientError) =>
            (entry.outcome = err.data?.code === "SERVICE_UNAVAILABLE" ? "refused" : String(err)),
        );
        await new Promise((r) => setTimeout(r, 20));
      }
      while (sent.some((s) => s.outcome === null)) await new Promise((r) => setTimeout(r, 10));
      const strange = sent.find((s) => s.outcome !== "admitted" && s.outcome !== "refused");
      if (strange) throw new Error(strange.outcome ?? "no outcome");
      let first = sent.length - 1;
      while (first > 0 && sent[first - 1]!.outcome === want) first--;
      return sent[first]!.at;
    }

    it("set on instance A, instance B refuses within a second; lifted on B, A admits again within a second", async () => {
      const t: Tenant = await createTenant(setup);
      // The probes below send a request every 20 ms: room for them under the limits and caps.
      await (await t.as("owner")).platform.config.update.mutate({
        featureType: "field_extraction",
        expectedVersion: 1,
        patch: { rateLimitPerMinute: 100_000, maxRequestsPerDay: 1_000_000, maxCostPerDay: "10000.00" },
      });
      await setup.services.db
        .update(organizations)
        .set({ monthlyCreditLimit: "1000000.00" })
        .where(eq(organizations.id, t.organizationId));
      const { key } = await t.apiKey("member");
      const [a, b] = cluster.instances as [Cluster["instances"][0], Cluster["instances"][0]];
      const onA = createWedsyncClient({ url: a.url, apiKey: key });
      const onB = createWedsyncClient({ url: b.url, apiKey: key });
      const person = await staffMember(setup, "Cluster Staff");
      const [staffOnA, staffOnB] = [await person.signInAt(a.url), await person.signInAt(b.url)];
      const request = (c: WedsyncClient) => () => extract(c, t.clientIds[0]!);

      // B has admitted this organization's requests (and holds its throttles, none) before.
      await request(onB)();
      // From the moment the change is committed (the mutation's answer) on the other instance.
      const asked = performance.now();
      const throttle = await staffOnA.throttles.set.mutate({
        scope: "organization",
        organizationId: t.organizationId,
        mode: "refuse",
        reason: "cluster test",
      });
      const setAt = performance.now();
      await expectError(request(onA)(), "SERVICE_UNAVAILABLE"); // A itself at once
      const refusedAfter = await timeUntil(setAt, request(onB), "refused");
      console.log(
        `throttle set on A (answered in ${(setAt - asked).toFixed(0)} ms): B refuses every request sent ${refusedAfter.toFixed(0)} ms after`,
      );
      expect(refusedAfter).toBeLessThan(1_000);

      const liftAsked = performance.now();
      await staffOnB.throttles.lift.mutate({ id: throttle.id });
      const liftedAt = performance.now();
      const admittedAfter = await timeUntil(liftedAt, request(onA), "admitted");
      console.log(
        `throttle lifted on B (answered in ${(liftedAt - liftAsked).toFixed(0)} ms): A admits every request sent ${admittedAfter.toFixed(0)} ms after`,
      );
      expect(admittedAfter).toBeLessThan(1_000);
    });
  },
);
