/**
 * Every completion settles its counters, whatever the interleaving: several instances (each its
 * own connection pool and group committers) admitting and completing requests of one client at
 * once leave every counter row equal to the sum of its usage rows, with nothing left reserved.
 * The completing statement once joined the counters to a UNION ALL of aggregates; under READ
 * COMMITTED, a counter row updated by another transaction while this one waited was re-checked
 * against that join and silently dropped, so reservations stayed and the client was locked out.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCountersEqualLog } from "./harness/ledger";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { createTenant } from "./harness/tenant";

const onPostgres = process.env.TEST_DB === "postgres";
type AdmissionRequest = Parameters<RunningServer["services"]["tracker"]["logRequest"]>[0];

describe.skipIf(!onPostgres)(skipNote("counter settlement under concurrency", postgresOnly), () => {
  const instances: RunningServer[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) instances.push(await startTestServer());
  });
  afterAll(async () => {
    await Promise.all(instances.map((s) => s.close()));
  });

  it("concurrent admissions and completions on three instances: counters equal the log, nothing left reserved, the rest of the cap still admits", async () => {
    const [setup] = instances as [RunningServer];
    const t = await createTenant(setup, { clients: 2 });
    const day = "2026-12-07";
    const clientCap = 400;
    const request = (clientId: string): AdmissionRequest => ({
      requestId: randomUUID(),
      organizationId: t.organizationId,
      clientId,
      featureType: "field_extraction",
      day,
      month: "2026-12",
      orgMaxRequests: 10_000,
      orgMaxMicros: 1_000_000_000n,
      clientMaxRequests: clientCap,
      clientMaxMicros: 1_000_000_000n,
      creditLimitMicros: 1_000_000_000n,
      estimateMicros: 5_000n,
      idempotencyKey: null,
      requestHash: null,
      requestSize: 10,
      model: "gpt-4o-mini",
      provider: "openai",
      metadata: { channel: "test" },
    });

    // 48 callers spread over the instances, each admitting then completing in a loop: completions
    // of one instance wait on counter rows held by another's admissions and completions.
    const perCaller = 6;
    const callers = 48;
    let completed = 0;
    await Promise.all(
      Array.from({ length: callers }, async (_, c) => {
        for (let k = 0; k < perCaller; k++) {
          const tracker = instances[(c + k) % instances.length]!.services.tracker;
          const req = request(t.clientIds[c % 2]!);
          const outcome = await tracker.logRequest(req);
          expect(outcome.outcome).toBe("admitted");
          await tracker.logResponse({
            requestId: req.requestId,
            status: k % 5 === 4 ? "failed" : "succeeded",
            costMicros: BigInt(1_000 + ((c * 7 + k) % 13)),
            usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 },
            responseSize: 10,
            processingTimeMs: 3,
            errorMessage: null,
            model: "gpt-4o-mini",
            provider: "openai",
            degraded: false,
            result: null,
          });
          completed++;
        }
      }),
    );
    expect(completed).toBe(callers * perCaller);

    // Every counter row equals the sum of its usage rows; nothing pending, so nothing reserved.
    const ledger = await expectCountersEqualLog(setup.services.db, t.organizationId);
    expect(ledger.usageRows.pending ?? 0).toBe(0);
    expect(ledger.dailyRows).toBe(3); // the organization and its two clients
    for (const m of ledger.monthlySpend) expect(BigInt(m.reservedMicros)).toBe(0n);

    // A sequential probe: exactly what is left of the first client's cap is admitted, no more.
    const used = (callers * perCaller) / 2;
    const tracker = setup.services.tracker;
    let admitted = 0;
    for (let i = 0; i < clientCap - used + 3; i++) {
      const outcome = await tracker.logRequest(request(t.clientIds[0]!));
      if (outcome.outcome === "admitted") admitted++;
    }
    expect(admitted).toBe(clientCap - used);
  });
});
