/**
 * A request whose server stopped before it finished (a crash, a kill after the shutdown grace)
 * leaves a pending row holding a reservation. The sweep completes such rows as failed, free of
 * charge, releasing the reservation, so caps are not eaten away and the period can be invoiced.
 */
import { randomUUID } from "node:crypto";
import { JOBS_INSTANCE_ID, type RunningServer } from "@wedsync/api/server";
import { aiUsageDailyRollups, aiUsageLogs } from "@wedsync/core";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant, type Tenant } from "./harness/tenant";
import { countersOf } from "./harness/usage";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

async function admit(t: Tenant) {
  const now = new Date();
  const outcome = await server.services.tracker.logRequest({
    requestId: randomUUID(),
    organizationId: t.organizationId,
    clientId: t.clientIds[0]!,
    featureType: "field_extraction",
    day: now.toISOString().slice(0, 10),
    month: now.toISOString().slice(0, 7),
    orgMaxRequests: 100,
    orgMaxMicros: 1_000_000_000n,
    clientMaxRequests: 100,
    clientMaxMicros: 1_000_000_000n,
    creditLimitMicros: 1_000_000_000n,
    estimateMicros: 5_000n,
    idempotencyKey: null,
    requestHash: null,
    requestSize: 10,
    model: "gpt-4o-mini",
    provider: "openai",
    metadata: {},
  });
  expect([outcome.outcome, "reason" in outcome ? outcome.reason : null]).toEqual(["admitted", null]);
  return outcome.requestId;
}

describe("abandoned requests", () => {
  it("a background job's row keeps its reservation while it waits in the queue, up to the jobs' own bound", async () => {
    const t = await createTenant(server);
    const queued = await admit(t);
    const lost = await admit(t);
    // Both held by the jobs' pseudo-instance, as the job service marks them; one waited 1 hour, one 7.
    await server.services.db.execute(sql`
      update ai_usage_logs
         set metadata = metadata || ${JSON.stringify({ instanceId: JOBS_INSTANCE_ID })}::jsonb,
             created_at = now() - case when request_id = ${queued} then interval '1 hour' else interval '7 hours' end
       where request_id in (${queued}, ${lost})`);
    await server.services.tracker.reapAbandoned(15 * 60_000);
    await server.services.tracker.drain();
    const statusOf = async (id: string) =>
      (await server.services.db.select().from(aiUsageLogs).where(eq(aiUsageLogs.requestId, id)))[0]!.status;
    expect(await statusOf(queued)).toBe("pending");
    expect(await statusOf(lost)).toBe("failed");
    expect((await countersOf(server, t.organizationId)).orgDaily[0]!.reservedMicros).toBe(5_000n);
  });

  it("are completed as failed at no charge, their reservations released, once", async () => {
    const t = await createTenant(server);
    const old = await admit(t);
    const recent = await admit(t);
    expect((await countersOf(server, t.organizationId)).orgDaily[0]!.reservedMicros).toBe(10_000n);
    await server.services.db.execute(
      sql`update ai_usage_logs set created_at = now() - interval '1 hour' where request_id = ${old}`,
    );

    const reaped = await server.services.tracker.reapAbandoned(15 * 60_000);
    expect(reaped).toBeGreaterThanOrEqual(1); // other tests' rows may be swept too; ours must be
    await server.services.tracker.drain();
    const [row] = await server.services.db.select().from(aiUsageLogs).where(eq(aiUsageLogs.requestId, old));
    expect(row).toMatchObject({ status: "failed", costUsd: "0.000000", success: false });
    expect(row!.errorMessage).toContain("abandoned");
    const [fresh] = await server.services.db
      .select()
      .from(aiUsageLogs)
      .where(eq(aiUsageLogs.requestId, recent));
    expect(fresh!.status).toBe("pending");

    const counters = await countersOf(server, t.organizationId);
    expect(counters.orgDaily[0]).toMatchObject({ reservedMicros: 5_000n, spentMicros: 0n });
    expect(counters.monthly[0]).toMatchObject({ reservedMicros: 5_000n, spentMicros: 0n });
    const [rollup] = await server.services.db
      .select()
      .from(aiUsageDailyRollups)
      .where(eq(aiUsageDailyRollups.organizationId, t.organizationId));
    expect(rollup).toMatchObject({ requests: 1, failed: 1, costMicros: 0n });

    // Sweeping again changes nothing.
    await server.services.tracker.reapAbandoned(15 * 60_000);
    await server.services.tracker.drain();
    expect((await countersOf(server, t.organizationId)).orgDaily[0]!.reservedMicros).toBe(5_000n);
  });

  it("a stopped instance's requests are swept within seconds; a beating instance's are left alone", async () => {
    const t = await createTenant(server);
    const mine = await admit(t);
    const [row] = await server.services.db.select().from(aiUsageLogs).where(eq(aiUsageLogs.requestId, mine));
    expect(row!.metadata).toMatchObject({ instanceId: server.services.tracker.instanceId });
    // Another instance, crashed: its last beat 30 s ago, its request admitted just before.
    const crashed = randomUUID();
    await server.services.db.execute(
      sql`insert into ai_instances (id, heartbeat_at) values (${crashed}::uuid, now() - interval '30 seconds')`,
    );
    const orphan = await admit(t);
    await server.services.db.execute(sql`
      update ai_usage_logs set created_at = now() - interval '31 seconds' where request_id in (${orphan}, ${mine})`);
    await server.services.db.execute(sql`
      update ai_usage_logs set metadata = jsonb_set(metadata, '{instanceId}', to_jsonb(${crashed}::text))
       where request_id = ${orphan}`);
    await server.services.tracker.beat();

    await server.services.tracker.reapAbandoned(15 * 60_000, 10_000);
    await server.services.tracker.drain();
    const status = async (id: string) =>
      (await server.services.db.select().from(aiUsageLogs).where(eq(aiUsageLogs.requestId, id)))[0]!.status;
    expect(await status(orphan)).toBe("failed");
    // Our own row, 31 s old too but from an instance that beats: still running, left alone.
    expect(await status(mine)).toBe("pending");
    const counters = await countersOf(server, t.organizationId);
    expect(counters.orgDaily[0]).toMatchObject({ reservedMicros: 5_000n, spentMicros: 0n });

    // An instance that left the list (stopped) has no beat at all: its rows go too.
    await server.services.db.execute(sql`delete from ai_instances where id = ${crashed}::uuid`);
    const gone = await admit(t);
    await server.services.db.execute(sql`
      update ai_usage_logs
         set metadata = jsonb_set(metadata, '{instanceId}', to_jsonb(${crashed}::text)),
             created_at = now() - interval '11 seconds'
       where request_id = ${gone}`);
    await server.services.tracker.reapAbandoned(15 * 60_000, 10_000);
    await server.services.tracker.drain();
    expect(await status(gone)).toBe("failed");
  });

  it("a completion the database could not take is written by the next sweep, as failed", async () => {
    const t = await createTenant(server);
    const id = await admit(t);
    server.services.tracker.completeLater({
      requestId: id,
      status: "failed",
      costMicros: 1_234n,
      usage: { inputTokens: 10, outputTokens: 2, cachedInputTokens: 0 },
      responseSize: 0,
      processingTimeMs: 5,
      errorMessage: "not recorded in time",
      model: "gpt-4o-mini",
      provider: "openai",
      degraded: false,
      result: null,
    });
    expect(await server.services.tracker.writeUnwritten()).toBe(1);
    expect(await server.services.tracker.writeUnwritten()).toBe(0);
    const [row] = await server.services.db.select().from(aiUsageLogs).where(eq(aiUsageLogs.requestId, id));
    expect(row).toMatchObject({ status: "failed", costUsd: "0.001234" });
    const counters = await countersOf(server, t.organizationId);
    expect(counters.orgDaily[0]).toMatchObject({ reservedMicros: 0n, spentMicros: 1_234n });
  });
});
