/**
 * Admissions made at the same moment are group-committed (wedsync_admit_batch): one statement for
 * the batch, each request still judged on its own, in turn, against every cap.
 */
import { randomUUID } from "node:crypto";
import { openDatabase } from "@wedsync/api/database";
import type { RunningServer } from "@wedsync/api/server";
import { aiUsageLogs } from "@wedsync/core";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer } from "./harness/server";
import { postgresOnly, skipNote } from "./harness/skips";
import { createTenant, type Tenant } from "./harness/tenant";
import { countersOf, usageRows } from "./harness/usage";

let server: RunningServer;
/**
 * The batch statement must be the path taken: its one-by-one fallback admits the same, so every
 * test here would pass if the batch failed every time. Each test may fall back only as often as
 * it says (a request that cannot be admitted at all, once).
 */
let fallbacksAllowed = 0;
let fallbacksBefore = 0;
async function batchFallbacks(): Promise<number> {
  const { values } = await server.services.metrics.admissionBatchFallbacks.get();
  return values[0]?.value ?? 0;
}
beforeEach(async () => {
  fallbacksAllowed = 0;
  fallbacksBefore = await batchFallbacks();
});
afterEach(async () => {
  expect(await batchFallbacks(), "admission batches fell back to one at a time").toBe(
    fallbacksBefore + fallbacksAllowed,
  );
});

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

  it("a client's first batch of the day larger than its cap: the cap's worth admitted, in order", async () => {
    const t = await createTenant(server, { clients: 1 });
    const requests = Array.from({ length: 5 }, () =>
      admission(t, t.clientIds[0]!, { clientMaxRequests: 3, orgMaxRequests: 100 }),
    );
    const outcomes = await Promise.all(requests.map((r) => server.services.tracker.logRequest(r)));
    expect(outcomes.map((o) => o.outcome)).toEqual([
      "admitted",
      "admitted",
      "admitted",
      "rejected",
      "rejected",
    ]);
    const { daily } = await countersOf(server, t.organizationId);
    expect(daily.map((d) => d.requests).sort()).toEqual([3, 3]);
  });

  it("a batch one counter refuses as a whole is judged one by one, with what the others reserved given back", async () => {
    const t = await createTenant(server, { clients: 2 });
    // The batch takes clients in id order: client 0 first, so its reservation is the one given back.
    const [c0, c1] = [...t.clientIds].sort() as [string, string];
    const caps = { clientMaxRequests: 2, creditLimitMicros: 3_500n };
    const logRequest = (r: ReturnType<typeof admission>) => server.services.tracker.logRequest(r);
    // Earlier today: one request for each client. Client 1 is now one short of its cap.
    await logRequest(admission(t, c0, caps));
    await logRequest(admission(t, c1, { ...caps, clientMaxRequests: 2 }));
    await logRequest(admission(t, c1, { ...caps, creditLimitMicros: 1_000_000n }));
    // Client 1's counter refuses two more as a whole; then the credit limit (3 500) allows one.
    const outcomes = await Promise.all([admission(t, c0, caps), admission(t, c1, caps)].map(logRequest));
    expect(outcomes.map((o) => (o.outcome === "rejected" ? o.reason : o.outcome))).toEqual([
      "credit_limit",
      "daily_request_cap",
    ]);
    const { daily, monthly } = await countersOf(server, t.organizationId);
    const requestsOf = (scope: string) => daily.find((d) => d.scope === scope)?.requests;
    expect([requestsOf("org"), requestsOf(c0), requestsOf(c1)]).toEqual([3, 1, 2]);
    expect(monthly.map((m) => m.reservedMicros)).toEqual([3_000n]);
  });

  it("a batch the credit limit refuses as a whole gives the organization's reservation back, then admits what fits", async () => {
    const t = await createTenant(server);
    const req = () => admission(t, null, { creditLimitMicros: 2_500n });
    await server.services.tracker.logRequest(req());
    const outcomes = await Promise.all([req(), req()].map((r) => server.services.tracker.logRequest(r)));
    expect(outcomes.map((o) => (o.outcome === "rejected" ? o.reason : o.outcome))).toEqual([
      "admitted",
      "credit_limit",
    ]);
    const { daily, monthly } = await countersOf(server, t.organizationId);
    expect(daily.map((d) => [d.scope, d.requests, d.reservedMicros])).toEqual([["org", 2, 2_000n]]);
    expect(monthly.map((m) => m.reservedMicros)).toEqual([2_000n]);
  });

  it("a request that cannot be admitted at all fails alone; the others in its batch are admitted", async () => {
    const t = await createTenant(server, { clients: 1 });
    const good = Array.from({ length: 4 }, () => admission(t, t.clientIds[0]!));
    // No such client: the usage row's foreign key refuses it, inside the batch's transaction,
    // which then goes one by one (said in the log and counted).
    fallbacksAllowed = 1;
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

describe("a request turned away at a later check", () => {
  async function counters(t: Tenant) {
    const { daily, monthly } = await countersOf(server, t.organizationId);
    const of = (scope: string) => {
      const row = daily.find((d) => d.scope === scope);
      return [row?.requests ?? 0, row?.reservedMicros ?? 0n];
    };
    return { org: of("org"), client: of(t.clientIds[0]!), monthly: monthly[0]?.reservedMicros ?? 0n };
  }

  it("by the client's cap gives back the organization's reservation", async () => {
    const t = await createTenant(server, { clients: 1 });
    const req = () => admission(t, t.clientIds[0]!, { clientMaxRequests: 1, orgMaxRequests: 100 });
    expect((await server.services.tracker.logRequest(req())).outcome).toBe("admitted");
    expect(await server.services.tracker.logRequest(req())).toMatchObject({
      outcome: "rejected",
      reason: "daily_request_cap",
    });
    expect(await counters(t)).toEqual({ org: [1, 1_000n], client: [1, 1_000n], monthly: 1_000n });
  });

  it("as the day's first request leaves no counter row behind", async () => {
    const t = await createTenant(server, { clients: 1 });
    expect(
      await server.services.tracker.logRequest(admission(t, t.clientIds[0]!, { clientMaxRequests: 0 })),
    ).toMatchObject({ outcome: "rejected", reason: "daily_request_cap" });
    expect((await countersOf(server, t.organizationId)).daily).toEqual([]);
  });

  it("by the credit limit gives back the organization's and the client's", async () => {
    const t = await createTenant(server, { clients: 1 });
    const req = () => admission(t, t.clientIds[0]!, { creditLimitMicros: 1_500n });
    expect((await server.services.tracker.logRequest(req())).outcome).toBe("admitted");
    expect(await server.services.tracker.logRequest(req())).toMatchObject({
      outcome: "rejected",
      reason: "credit_limit",
    });
    expect(await counters(t)).toEqual({ org: [1, 1_000n], client: [1, 1_000n], monthly: 1_000n });
  });
});

describe.skipIf(postgresOnly !== null)(
  skipNote("an idempotency key another instance is using", postgresOnly),
  () => {
    it("committed while this admission waited: a duplicate of it, and everything reserved given back", async () => {
      const t = await createTenant(server, { clients: 1 });
      const key = { idempotencyKey: `k-${randomUUID()}`, requestHash: "a".repeat(64) };
      const other = await openDatabase({ url: process.env.DATABASE_URL, maxConnections: 1 });
      const otherId = randomUUID();
      let admitting: Promise<unknown> | null = null;
      try {
        await other.db.transaction(async (tx) => {
          // Another instance's admission of the same key, not yet committed: this one's check does
          // not see it, reserves, and then waits on the key's unique index until it commits.
          await tx.insert(aiUsageLogs).values({
            requestId: otherId,
            organizationId: t.organizationId,
            clientId: t.clientIds[0]!,
            featureType: "field_extraction",
            status: "pending",
            idempotencyKey: key.idempotencyKey,
            requestHash: key.requestHash,
            quotaDay: "2026-11-26",
            metadata: {},
          });
          admitting = server.services.tracker.logRequest(admission(t, t.clientIds[0]!, key));
          await new Promise((r) => setTimeout(r, 300));
        });
        expect(await admitting).toEqual({ outcome: "duplicate", requestId: otherId });
      } finally {
        await other.close();
      }
      const { daily, monthly } = await countersOf(server, t.organizationId);
      // Its counter rows were the first of the day and month: gone again, as if never written.
      expect(daily).toEqual([]);
      expect(monthly).toEqual([]);
    });
  },
);

/** One request of a generated batch: which client, its estimate, its caps, and maybe an idempotency key. */
const batchItem = fc.record({
  client: fc.option(fc.nat({ max: 2 }), { nil: null }),
  estimate: fc.integer({ min: 0, max: 4_000 }),
  orgMaxRequests: fc.constantFrom(0, 5, 12, 100),
  orgMaxMicros: fc.constantFrom(3_000, 20_000, 1_000_000),
  clientMaxRequests: fc.constantFrom(0, 3, 8, 100),
  clientMaxMicros: fc.constantFrom(2_000, 10_000, 1_000_000),
  creditLimit: fc.constantFrom(15_000, 1_000_000),
  key: fc.option(fc.constantFrom("k1", "k2"), { nil: null }),
  hash: fc.constantFrom("a", "b"),
});

/** A batch as the shortcut sees it: one set of caps, no idempotency keys; caps near what it asks. */
const uniformBatch = fc
  .record({
    items: fc.array(
      fc.record({
        client: fc.option(fc.nat({ max: 2 }), { nil: null }),
        estimate: fc.integer({ min: 0, max: 3_000 }),
      }),
      { minLength: 2, maxLength: 30 },
    ),
    orgSlack: fc.integer({ min: -3, max: 5 }),
    microsSlack: fc.integer({ min: -4_000, max: 8_000 }),
    clientMaxRequests: fc.integer({ min: 1, max: 12 }),
    clientMaxMicros: fc.integer({ min: 1_000, max: 30_000 }),
    creditSlack: fc.integer({ min: -4_000, max: 8_000 }),
    earlier: fc.nat({ max: 3 }),
  })
  .map((b) => {
    const total = b.items.reduce((n, it) => n + it.estimate, 0);
    return {
      ...b,
      orgMaxRequests: Math.max(1, b.items.length + b.earlier + b.orgSlack),
      orgMaxMicros: Math.max(3_000, total + 1_000 * b.earlier + b.microsSlack),
      creditLimit: Math.max(3_000, total + 1_000 * b.earlier + b.creditSlack),
    };
  });

/**
 * The same requests made in two fresh organizations: all at once in one (group-committed), one
 * after another in the other. Outcomes (request ids compared by position) and every counter must
 * be equal. `earlier` requests go first, one at a time, in both.
 */
async function expectBatchAsOneAtATime(
  requestsFor: (t: Tenant) => AdmissionRequest[],
  earlierFor: (t: Tenant) => AdmissionRequest[] = () => [],
) {
  const [together, inTurn] = await Promise.all([
    createTenant(server, { clients: 3 }),
    createTenant(server, { clients: 3 }),
  ]);
  const logRequest = (r: AdmissionRequest) => server.services.tracker.logRequest(r);
  for (const t of [together, inTurn]) for (const r of earlierFor(t)) await logRequest(r);
  const batchRequests = requestsFor(together);
  const batched = await Promise.all(batchRequests.map(logRequest));
  const turnRequests = requestsFor(inTurn);
  const oneByOne = [];
  for (const r of turnRequests) oneByOne.push(await logRequest(r));

  const comparable = (outcomes: typeof batched, requests: AdmissionRequest[]) =>
    outcomes.map((o) => ({ ...o, requestId: requests.findIndex((r) => r.requestId === o.requestId) }));
  expect(comparable(batched, batchRequests)).toEqual(comparable(oneByOne, turnRequests));
  const state = async (t: Tenant) => {
    const { daily, monthly } = await countersOf(server, t.organizationId);
    const scope = (s: string) => (s === "org" ? "org" : `client-${t.clientIds.indexOf(s)}`);
    return {
      daily: daily.map((d) => [scope(d.scope), d.requests, d.reservedMicros, d.spentMicros]).sort(),
      monthly: monthly.map((m) => [m.reservedMicros, m.spentMicros]),
      pending: (await usageRows(server, t.organizationId)).filter((r) => r.status === "pending").length,
    };
  };
  expect(await state(together)).toEqual(await state(inTurn));
}

describe("group-committed admission against one at a time", () => {
  it("a batch admits, refuses and deduplicates exactly as the same requests made one after another, leaving the same counters", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchItem, { minLength: 2, maxLength: 40 }), (items) =>
        expectBatchAsOneAtATime((t) =>
          items.map((it) =>
            admission(t, it.client === null ? null : t.clientIds[it.client]!, {
              estimateMicros: BigInt(it.estimate),
              orgMaxRequests: it.orgMaxRequests,
              orgMaxMicros: BigInt(it.orgMaxMicros),
              clientMaxRequests: it.client === null ? null : it.clientMaxRequests,
              clientMaxMicros: it.client === null ? null : BigInt(it.clientMaxMicros),
              creditLimitMicros: BigInt(it.creditLimit),
              idempotencyKey: it.key,
              requestHash: it.key ? it.hash.repeat(64) : null,
            }),
          ),
        ),
      ),
      { numRuns: 12 },
    );
  });

  it("a batch under one set of caps and without idempotency keys (the shortcut) answers as one at a time too", async () => {
    await fc.assert(
      fc.asyncProperty(uniformBatch, (b) => {
        const requestsFor = (t: Tenant, items: typeof b.items) =>
          items.map((it) =>
            admission(t, it.client === null ? null : t.clientIds[it.client]!, {
              estimateMicros: BigInt(it.estimate),
              orgMaxRequests: b.orgMaxRequests,
              orgMaxMicros: BigInt(b.orgMaxMicros),
              clientMaxRequests: it.client === null ? null : b.clientMaxRequests,
              clientMaxMicros: it.client === null ? null : BigInt(b.clientMaxMicros),
              creditLimitMicros: BigInt(b.creditLimit),
            }),
          );
        // Some usage already on the counters, so that the batch meets caps part-used.
        const earlier = Array.from({ length: b.earlier }, () => ({ client: 0, estimate: 1_000 }));
        return expectBatchAsOneAtATime(
          (t) => requestsFor(t, b.items),
          (t) => requestsFor(t, earlier),
        );
      }),
      { numRuns: 25 },
    );
  });
});
