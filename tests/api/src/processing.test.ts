import type { RunningServer } from "@wedsync/api/server";
import { aiModelPrices, costMicros, priceAt } from "@wedsync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { createTenant } from "./harness/tenant";
import { byStatus, countersOf, micros, usageRows } from "./harness/usage";

const INQUIRY = `Hi! We're Emma & Liam and we're getting married on 12 June 2027 at Kew Gardens, London.
We're expecting around 120 guests and our budget for flowers is £2,500. You can reach me at emma@example.com
or 07700 900123. Ceremony at 2pm.`;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

describe("client settings in clients.process", () => {
  it("excluded fields are left out, values under the confidence threshold listed for review, the same on a replay", async () => {
    const t = await createTenant(server);
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    await owner.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      featureSettings: { excludedFields: ["Budget", "phone"], confidenceThreshold: 0.8 },
    });
    const call = () =>
      member.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: INQUIRY },
        idempotencyKey: "settings-1",
      });
    const res = await call();
    const fields = (res.result as { fields: Record<string, { value: unknown; confidence: number } | null> })
      .fields;
    expect(fields.budget).toBeNull();
    expect(fields.phone).toBeNull();
    expect(fields.email?.value).toBe("emma@example.com");
    const under = Object.entries(fields)
      .filter(([, f]) => f !== null && f.confidence < 0.8)
      .map(([k]) => k);
    expect(under.length).toBeGreaterThan(0); // the rules engine is not that sure of everything
    expect([...res.needsReview].sort()).toEqual(under.sort());
    // What is stored (and replayed) is what the client got.
    const [row] = await usageRows(server, t.organizationId);
    expect((row!.result as { fields: Record<string, unknown> }).fields.budget).toBeNull();
    const again = await call();
    expect(again.usage.replayed).toBe(true);
    expect(again.result).toEqual(res.result);
    expect(again.needsReview).toEqual(res.needsReview);
  });

  it("the client's date format and currency read numeric dates and bare budgets for the rules engine", async () => {
    const t = await createTenant(server, { clients: 2 });
    const [owner, member] = await Promise.all([t.as("owner"), t.as("member")]);
    for (const [i, dateFormat, currency] of [
      [0, "DD/MM/YYYY", "CHF"],
      [1, "MM/DD/YYYY", undefined],
    ] as const)
      await owner.clients.config.update.mutate({
        clientId: t.clientIds[i]!,
        featureType: "field_extraction",
        expectedVersion: 0,
        processingPreferences: { dateFormat, ...(currency && { currency }) },
      });
    const fieldsFor = async (i: number) => {
      const res = await member.clients.process.mutate({
        clientId: t.clientIds[i]!,
        featureType: "field_extraction",
        input: { text: "Emma & Liam are getting married on 06/09/2027 at Kew Gardens. Our budget is 2,500." },
      });
      return (
        res.result as {
          fields: { weddingDate: { value: string } | null; budget: { value: unknown } | null };
        }
      ).fields;
    };
    const [first, second] = [await fieldsFor(0), await fieldsFor(1)];
    expect(first.weddingDate?.value).toBe("2027-09-06");
    expect(second.weddingDate?.value).toBe("2027-06-09");
    // A budget written without a currency is read in the client's; without one it is not guessed.
    expect(first.budget?.value).toEqual({ amount: "2500.00", currency: "CHF" });
    expect(second.budget).toBeNull();
  });
});

describe("clients.process on the local rules engine", () => {
  it("extracts wedding fields and records one succeeded, zero-cost usage row", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const res = await member.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      input: { text: INQUIRY },
    });
    const fields = (res.result as { fields: Record<string, { value: unknown } | null> }).fields;
    expect(fields.weddingDate?.value).toBe("2027-06-12");
    expect(fields.email?.value).toBe("emma@example.com");
    expect(fields.guestCount?.value).toBe(120);
    expect(res.usage).toMatchObject({
      provider: "local",
      costUsd: "0.000000",
      degraded: false,
      replayed: false,
      remainingRequestsToday: 999,
    });
    expect(res.usage.inputTokens).toBeGreaterThan(0);

    const rows = await usageRows(server, t.organizationId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      requestId: res.usage.requestId,
      status: "succeeded",
      success: true,
      clientId: t.clientIds[0],
      costUsd: "0.000000",
    });
    const { orgDaily, monthly } = await countersOf(server, t.organizationId);
    expect(orgDaily).toEqual([expect.objectContaining({ requests: 1, reservedMicros: 0n, spentMicros: 0n })]);
    expect(monthly[0]?.reservedMicros).toBe(0n);
  });

  it("maps fields one-to-one and analyses a PDF", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const mapped = await member.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "smart_mapping",
      input: {
        sourceFields: [
          { name: "bride_name", value: "Emma" },
          { name: "wedding_date", value: "2027-06-12" },
          { name: "favourite_colour", value: "sage" },
        ],
        targetLabels: ["Partner 1 name", "Event date", "Dietary requirements"],
      },
    });
    const m = mapped.result as {
      mappings: Array<{ source: string; target: string }>;
      unmappedSources: string[];
    };
    expect(m.mappings.map((x) => [x.source, x.target])).toEqual(
      expect.arrayContaining([
        ["bride_name", "Partner 1 name"],
        ["wedding_date", "Event date"],
      ]),
    );
    expect(m.unmappedSources).toContain("favourite_colour");
  });
});

describe("admission", () => {
  it("a feature disabled at platform level is FORBIDDEN and recorded as rejected, never billed", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { isEnabled: false },
    });
    const e = await expectError(
      admin.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: INQUIRY },
      }),
      "FORBIDDEN",
    );
    expect(e.data?.details).toEqual({ reason: "feature_disabled" });
    const rows = await usageRows(server, t.organizationId);
    expect(rows.map((r) => [r.status, r.rejectionReason, r.costUsd])).toEqual([
      ["rejected", "feature_disabled", null],
    ]);
  });

  it("a feature above the tier is FORBIDDEN with the tier named", async () => {
    const t = await createTenant(server, { tier: "free" });
    const member = await t.as("member");
    const e = await expectError(
      member.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "smart_mapping",
        input: { sourceFields: [{ name: "a", value: null }], targetLabels: ["A"] },
      }),
      "FORBIDDEN",
    );
    expect(e.message).toContain("enterprise");
    expect(e.data?.details).toEqual({ reason: "tier" });
  });

  it("the rate limit per organization and feature: TOO_MANY_REQUESTS with retry-after, limit and remaining", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { rateLimitPerMinute: 3 },
    });
    const call = () =>
      admin.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: INQUIRY },
      });
    for (let i = 0; i < 3; i++) await call();
    const e = await expectError(call(), "TOO_MANY_REQUESTS");
    expect(e.data?.details).toMatchObject({ reason: "rate_limited", limit: 3, remaining: 0 });
    expect((e.data?.details as { retryAfterSeconds?: number } | null)?.retryAfterSeconds).toBeGreaterThan(0);
    // Another feature has its own budget.
    await admin.clients.process.mutate({
      clientId: t.clientIds[0]!,
      featureType: "smart_mapping",
      input: { sourceFields: [{ name: "date", value: null }], targetLabels: ["Date"] },
    });
    expect(byStatus(await usageRows(server, t.organizationId))).toEqual({ succeeded: 4, rejected: 1 });
  });

  it("a client's tighter rate limit refuses without using the organization's shared slots", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { rateLimitPerMinute: 2 },
    });
    await admin.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { rateLimitPerMinute: 1 },
    });
    const call = (i: number) =>
      admin.clients.process.mutate({
        clientId: t.clientIds[i]!,
        featureType: "field_extraction",
        input: { text: INQUIRY },
      });
    await call(0);
    const e = await expectError(call(0), "TOO_MANY_REQUESTS");
    expect(e.data?.details).toMatchObject({ reason: "rate_limited", limit: 1 });
    await call(1); // the organization's second slot is still there for the other client
    const org = await expectError(call(1), "TOO_MANY_REQUESTS");
    expect(org.data?.details).toMatchObject({ reason: "rate_limited", limit: 2 });
  });

  it("200 parallel requests against a cap of 50 a day: exactly 50 admitted", async () => {
    const t = await createTenant(server);
    const admin = await t.as("admin");
    await admin.platform.config.update.mutate({
      featureType: "field_extraction",
      expectedVersion: 1,
      patch: { maxRequestsPerDay: 50, rateLimitPerMinute: 100_000 },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        admin.clients.process.mutate({
          clientId: t.clientIds[i % 2]!,
          featureType: "field_extraction",
          input: { text: `${INQUIRY} #${i}` },
        }),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const capped = results.filter(
      (r) =>
        r.status === "rejected" &&
        (r.reason as { data?: { code?: string } }).data?.code === "TOO_MANY_REQUESTS",
    );
    expect(ok).toBe(50);
    expect(capped).toHaveLength(150);
    const rows = await usageRows(server, t.organizationId);
    expect(byStatus(rows)).toEqual({ succeeded: 50, rejected: 150 });
    expect(
      rows.filter((r) => r.status === "rejected").every((r) => r.rejectionReason === "daily_request_cap"),
    ).toBe(true);
    const { orgDaily } = await countersOf(server, t.organizationId);
    expect(orgDaily[0]?.requests).toBe(50);
  });

  it("a client's tighter daily cap applies to that client only", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    await member.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 2 },
    });
    const call = (i: number) =>
      member.clients.process.mutate({
        clientId: t.clientIds[i]!,
        featureType: "field_extraction",
        input: { text: INQUIRY },
      });
    const first = await call(0);
    expect(first.usage.remainingRequestsToday).toBe(1);
    await call(0);
    const e = await expectError(call(0), "TOO_MANY_REQUESTS");
    expect(e.data?.details).toMatchObject({ reason: "daily_request_cap" });
    await call(1); // the other client is unaffected
  });

  it("bad input is refused with the field named, and nothing is billed or counted", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const notPdf = await expectError(
      member.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "pdf_analysis",
        input: { pdfBase64: Buffer.from("hello, not a pdf").toString("base64") },
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(notPdf)).toEqual(["input.pdfBase64"]);
    const empty = await expectError(
      member.clients.process.mutate({
        clientId: t.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: "   " },
      }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(empty)).toContain("input.text");
    await expectError(
      member.clients.process.mutate({
        clientId: "00000000-0000-4000-8000-000000000000",
        featureType: "field_extraction",
        input: { text: INQUIRY },
      }),
      "NOT_FOUND",
    );
    const other = await createTenant(server);
    await expectError(
      member.clients.process.mutate({
        clientId: other.clientIds[0]!,
        featureType: "field_extraction",
        input: { text: INQUIRY },
      }),
      "NOT_FOUND",
    );
    expect(await usageRows(server, t.organizationId)).toEqual([]);
    expect(await usageRows(server, other.organizationId)).toEqual([]);
    const { daily, monthly } = await countersOf(server, t.organizationId);
    expect(daily).toEqual([]);
    expect(monthly).toEqual([]);
  });

  it("a 50 MB body is refused with 413 before it is read", async () => {
    const t = await createTenant(server);
    const big = new Uint8Array(50 * 1024 * 1024);
    const res = await fetch(`${server.url}/trpc/clients.process`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(big.length) },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(await usageRows(server, t.organizationId)).toEqual([]);
  });
});

describe("idempotency", () => {
  it("the same key and body returns the stored result with no second charge; a different body is a CONFLICT", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const input = {
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      input: { text: INQUIRY },
      idempotencyKey: "order-42",
    };
    const first = await member.clients.process.mutate(input);
    const again = await member.clients.process.mutate(input);
    expect(again.result).toEqual(first.result);
    expect(again.usage).toMatchObject({
      requestId: first.usage.requestId,
      replayed: true,
      costUsd: first.usage.costUsd,
    });
    const e = await expectError(
      member.clients.process.mutate({ ...input, input: { text: `${INQUIRY} changed` } }),
      "CONFLICT",
    );
    expect(e.message).toContain("idempotency key");
    const rows = await usageRows(server, t.organizationId);
    expect(rows).toHaveLength(1);
    const { orgDaily } = await countersOf(server, t.organizationId);
    expect(orgDaily[0]?.requests).toBe(1);
  });

  it("concurrent retries with one key make one request", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const input = {
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      input: { text: INQUIRY },
      idempotencyKey: "burst",
    };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => member.clients.process.mutate(input)),
    );
    // Each either got the result or was told the first is still in progress; none was charged twice.
    for (const r of results)
      if (r.status === "rejected")
        expect((r.reason as { data?: { code?: string } }).data?.code).toBe("CONFLICT");
    const rows = await usageRows(server, t.organizationId);
    expect(rows.filter((r) => r.status !== "rejected")).toHaveLength(1);
  });
});

describe("exactly once", () => {
  it("every admitted request has exactly one completed row, and totals equal a recomputation from tokens and prices", async () => {
    const t = await createTenant(server);
    const member = await t.as("member");
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        member.clients.process.mutate({
          clientId: t.clientIds[i % 2]!,
          featureType: "field_extraction",
          input: { text: `${INQUIRY} ${"x".repeat(i * 10)}` },
        }),
      ),
    );
    const rows = await usageRows(server, t.organizationId);
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.requestId))).toEqual(new Set(results.map((r) => r.usage.requestId)));
    expect(rows.every((r) => r.status === "succeeded" && r.completedAt !== null)).toBe(true);
    const prices = await server.services.db.select().from(aiModelPrices);
    let recomputed = 0n;
    for (const r of rows) {
      const price = priceAt(prices, r.provider!, r.model!, r.createdAt);
      expect(price).not.toBeNull();
      recomputed += costMicros(
        { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cachedInputTokens: r.cachedInputTokens },
        price!,
      );
    }
    const stored = rows.reduce((n, r) => n + micros(r.costUsd), 0n);
    expect(stored).toBe(recomputed);
    const { orgDaily, monthly } = await countersOf(server, t.organizationId);
    expect(orgDaily[0]).toMatchObject({ requests: 30, reservedMicros: 0n, spentMicros: stored });
    expect(monthly[0]).toMatchObject({ reservedMicros: 0n, spentMicros: stored });
  });
});
