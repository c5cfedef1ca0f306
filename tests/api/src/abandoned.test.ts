/**
 * A request whose server stopped before it finished (a crash, a kill after the shutdown grace)
 * leaves a pending row holding a reservation. The sweep completes such rows as failed, free of
 * charge, releasing the reservation, so caps are not eaten away and the period can be invoiced.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
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
});
