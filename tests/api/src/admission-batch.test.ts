/**
 * Admissions made at the same moment are group-committed (wedsync_admit_batch): one statement for
 * the batch, each request still judged on its own, in turn, against every cap.
 */
import { randomUUID } from "node:crypto";
import type { RunningServer } from "@wedsync/api/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { createTenant, type Tenant } from "./harness/tenant";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

type AdmissionRequest = Parameters<RunningServer["services"]["tracker"]["logRequest"]>[0];

function admission(
  t: Tenant,
  clientId: string | null,
  change: Partial<AdmissionRequest> = {},
): AdmissionRequest {
  return {
    requestId: randomUUID(),
    organizationId: t.organizationId,
    clientId,
    featureType: "field_extraction",
    day: "2026-11-26",
    month: "2026-11",
    orgMaxRequests: 10,
    orgMaxMicros: 10_000_000n,
    clientMaxRequests: 100,
    clientMaxMicros: 10_000_000n,
    creditLimitMicros: 1_000_000_000n,
    estimateMicros: 1_000n,
    idempotencyKey: null,
    requestHash: null,
    requestSize: 10,
    model: "gpt-4o-mini",
    provider: "openai",
    metadata: { channel: "test" },
    ...change,
  };
}

/** [statements, rows] written so far by admission's group commit. */
async function admissionBatches(): Promise<[number, number]> {
  const { values } = await server.services.metrics.usageWriteBatch.get();
  const of = (name: string) =>
    values.find(
      (v) => v.metricName === `wedsync_usage_write_batch_rows_${name}` && v.labels.writer === "admission",
    )?.value ?? 0;
  return [of("count"), of("sum")];
}

describe("group-committed admission", () => {
  it("admits exactly the cap of 30 simultaneous requests, each answered with its own outcome, in fewer statements", async () => {
    const t = await createTenant(server, { clients: 2 });
    const [statementsBefore, rowsBefore] = await admissionBatches();
    const requests = Array.from({ length: 30 }, (_, i) => admission(t, t.clientIds[i % 2]!));
    const outcomes = await Promise.all(requests.map((r) => server.services.tracker.logRequest(r)));

    expect(outcomes.map((o) => o.requestId)).toEqual(requests.map((r) => r.requestId));
    const admitted = outcomes.flatMap((o) => (o.outcome === "admitted" ? [o] : []));
    expect(admitted).toHaveLength(10);
    expect(outcomes.filter((o) => o.outcome === "rejected" && o.reason === "daily_request_cap")).toHaveLength(
      20,
    );
    // Judged one after the other: the organization's count after each admission is 1, 2, ... 10.
    expect(admitted.map((o) => o.org.requests).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    expect(admitted.map((o) => o.org.usedMicros).sort((a, b) => Number(a - b))).toEqual(
      Array.from({ length: 10 }, (_, i) => BigInt((i + 1) * 1_000)),
    );

    const [statementsAfter, rowsAfter] = await admissionBatches();
    expect(rowsAfter - rowsBefore).toBe(30);
    expect(statementsAfter - statementsBefore).toBeLessThan(30);
  });

  it("a request that cannot be admitted at all fails alone; the others in its batch are admitted", async () => {
    const t = await createTenant(server, { clients: 1 });
    const good = Array.from({ length: 4 }, () => admission(t, t.clientIds[0]!));
    // No such client: the usage row's foreign key refuses it, inside the batch's transaction.
    const bad = admission(t, randomUUID());
    const results = await Promise.allSettled(
      [good[0]!, good[1]!, bad, good[2]!, good[3]!].map((r) => server.services.tracker.logRequest(r)),
    );
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    for (const r of results) {
      if (r.status === "fulfilled") expect(r.value.outcome).toBe("admitted");
    }
  });

  it("the same idempotency key twice in one batch: one admitted, the other a duplicate of it or a conflict", async () => {
    const t = await createTenant(server, { clients: 1 });
    const key = { idempotencyKey: `k-${randomUUID()}`, requestHash: "a".repeat(64) };
    const [first, same, different] = await Promise.all([
      server.services.tracker.logRequest(admission(t, null, key)),
      server.services.tracker.logRequest(admission(t, null, key)),
      server.services.tracker.logRequest(admission(t, null, { ...key, requestHash: "b".repeat(64) })),
    ]);
    expect(first?.outcome).toBe("admitted");
    expect(same).toEqual({ outcome: "duplicate", requestId: first?.requestId });
    expect(different).toEqual({ outcome: "conflict", requestId: first?.requestId });
  });
});
