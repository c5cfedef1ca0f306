/**
 * Billing: monthly costs, invoices issued from stored usage costs (total = their sum rounded once
 * to the cent), numbered in sequence, immutable once issued, exported as well-formed CSV, JSON and
 * escaped HTML.
 */
import type { RunningServer } from "@wedsync/api/server";
import { aiInvoices, aiModelPrices, buildInvoice, fromMicros, monthlyBreakdown } from "@wedsync/core";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { createTenant, type Tenant } from "./harness/tenant";
import { recordUsage } from "./harness/usage";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

/** Usage of an earlier day, as the live path records it (quota day, stored cost, rollups). */
async function pastUsage(
  t: Tenant,
  rows: Array<{ day: string; client: number; costUsd: string; status?: "succeeded" | "failed" | "pending" }>,
) {
  await recordUsage(
    server,
    rows.map((r) => ({
      organizationId: t.organizationId,
      clientId: t.clientIds[r.client]!,
      featureType: "field_extraction" as const,
      status: r.status ?? ("succeeded" as const),
      costUsd: r.costUsd,
      model: "gpt-4o-mini",
      provider: "openai",
      inputTokens: 1_000,
      outputTokens: 200,
      cachedInputTokens: 100,
      quotaDay: r.day,
      // In flight means recent: an old pending row would be swept as abandoned (usage-tracker).
      createdAt: r.status === "pending" ? new Date() : new Date(`${r.day}T12:00:00Z`),
    })),
  );
}

/** A strict RFC 4180 reader: fields, quoted fields with "" and embedded commas or line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') {
      if (field !== "") throw new Error(`quote inside an unquoted field at ${i}`);
      quoted = true;
    } else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else if (ch === "\n") throw new Error(`bare LF at ${i}`);
    else field += ch;
  }
  if (quoted) throw new Error("unterminated quote");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

describe("invoices", () => {
  it("the total is the sum of the period's stored costs, rounded once to the cent; numbers run in sequence", async () => {
    const t = await createTenant(server, { clients: 2 });
    const owner = await t.as("owner");
    // 0.004444 + 0.004444 + 0.001113 = 0.010001 → $0.01, although each line alone would round differently.
    await pastUsage(t, [
      { day: "2026-09-03", client: 0, costUsd: "0.004444" },
      { day: "2026-09-17", client: 1, costUsd: "0.004444" },
      { day: "2026-09-30", client: 1, costUsd: "0.001113", status: "failed" },
      { day: "2026-10-01", client: 0, costUsd: "5.000000" }, // the next month: not in September's invoice
    ]);
    const preview = await owner.billing.invoices.preview.query({ from: "2026-09-01", to: "2026-09-30" });
    expect(preview.pendingRequests).toBe(0);
    expect(fromMicros(preview.invoice.totals.subtotalMicros, 6)).toBe("0.010001");

    const september = await owner.billing.invoices.issue.mutate({ from: "2026-09-01", to: "2026-09-30" });
    expect(september).toMatchObject({ subtotalUsd: "0.010001", totalUsd: "0.01", sequence: 1 });
    expect(september.number).toMatch(/-2026-0001$/);
    const october = await owner.billing.invoices.issue.mutate({ from: "2026-10-01", to: "2026-10-31" });
    expect(october).toMatchObject({ totalUsd: "5.00", sequence: 2 });
    expect(october.number).toMatch(/-2026-0002$/);
    expect((await owner.billing.invoices.list.query()).map((i) => i.sequence)).toEqual([2, 1]);
  });

  it("an issued invoice cannot be changed: not by issuing again, not an overlapping period, not in the database", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    await pastUsage(t, [{ day: "2026-08-10", client: 0, costUsd: "1.234567" }]);
    const issued = await owner.billing.invoices.issue.mutate({ from: "2026-08-01", to: "2026-08-31" });
    const again = await expectError(
      owner.billing.invoices.issue.mutate({ from: "2026-08-01", to: "2026-08-31" }),
      "CONFLICT",
    );
    expect(again.message).toContain(issued.number);
    await expectError(
      owner.billing.invoices.issue.mutate({ from: "2026-08-15", to: "2026-09-14" }),
      "CONFLICT",
    );

    const db = server.services.db;
    await expect(
      db.update(aiInvoices).set({ totalCents: 1n }).where(eq(aiInvoices.id, issued.id)),
    ).rejects.toThrow();
    await expect(db.delete(aiInvoices).where(eq(aiInvoices.id, issued.id))).rejects.toThrow();
    const [row] = await db.select().from(aiInvoices).where(eq(aiInvoices.id, issued.id));
    expect(row!.totalCents).toBe(123n);
    // Usage recorded late for the invoiced period does not alter what was issued.
    await pastUsage(t, [{ day: "2026-08-20", client: 0, costUsd: "9.000000" }]);
    const csv = await owner.billing.invoices.export.query({ invoiceId: issued.id, format: "csv" });
    expect(csv.body).toContain("1.23");
    expect(csv.body).not.toContain("10.23");
  });

  it("a period still running, or with requests in flight, is not invoiced", async () => {
    const t = await createTenant(server);
    const owner = await t.as("owner");
    const today = new Date().toISOString().slice(0, 10);
    await expectError(
      owner.billing.invoices.issue.mutate({ from: "2026-01-01", to: today }),
      "PRECONDITION_FAILED",
    );
    // Admitted late yesterday (the tenant's day, UTC) and still running: yesterday has ended, but
    // its invoice would miss that request.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await pastUsage(t, [{ day: yesterday, client: 0, costUsd: "0.100000", status: "pending" }]);
    const e = await expectError(
      owner.billing.invoices.issue.mutate({ from: yesterday, to: yesterday }),
      "PRECONDITION_FAILED",
    );
    expect(e.message).toContain("in flight");
    expect(await owner.billing.invoices.list.query()).toEqual([]);
  });

  it("exports: CSV well formed with commas and quotes in client names, JSON exact, HTML escaped", async () => {
    const t = await createTenant(server, { clients: 1 });
    const owner = await t.as("owner");
    const tricky = 'Smith, "Jo" & <script>alert(1)</script>';
    await server.services.db.execute(
      sql`update clients set couple_names = ${tricky} where id = ${t.clientIds[0]!}`,
    );
    await pastUsage(t, [
      { day: "2026-06-12", client: 0, costUsd: "0.333333" },
      { day: "2026-06-13", client: 0, costUsd: "0.333333" },
    ]);
    const { id } = await owner.billing.invoices.issue.mutate({ from: "2026-06-01", to: "2026-06-30" });

    const csv = await owner.billing.invoices.export.query({ invoiceId: id, format: "csv" });
    expect(csv.contentType).toContain("text/csv");
    const table = parseCsv(csv.body);
    const header = table[0]!;
    expect(header.length).toBeGreaterThan(3);
    for (const row of table) expect(row).toHaveLength(header.length);
    expect(table.some((row) => row.includes(tricky))).toBe(true);

    const json = JSON.parse(
      (await owner.billing.invoices.export.query({ invoiceId: id, format: "json" })).body,
    );
    expect(json.subtotalUsd).toBe("0.666666");
    expect(json.totalUsd).toBe("0.67");

    const html = (await owner.billing.invoices.export.query({ invoiceId: id, format: "html" })).body;
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
  });

  it("another organization's invoice is NOT_FOUND; members cannot see invoices", async () => {
    const a = await createTenant(server);
    const b = await createTenant(server);
    await pastUsage(b, [{ day: "2026-05-05", client: 0, costUsd: "2.000000" }]);
    const { id } = await (await b.as("owner")).billing.invoices.issue.mutate({
      from: "2026-05-01",
      to: "2026-05-31",
    });
    await expectError(
      (await a.as("owner")).billing.invoices.export.query({ invoiceId: id, format: "csv" }),
      "NOT_FOUND",
    );
    await expectError((await b.as("member")).billing.invoices.list.query(), "FORBIDDEN");
  });
});

describe("monthly costs", () => {
  it("break the month's stored costs down by feature, client and model, with the credit status", async () => {
    const t = await createTenant(server, { clients: 2 });
    const owner = await t.as("owner");
    const member = await t.as("member");
    for (const i of [0, 1, 1]) {
      await member.clients.process.mutate({
        clientId: t.clientIds[i]!,
        featureType: "field_extraction",
        input: { text: "Emma & Liam, 12 June 2027" },
      });
    }
    const costs = await owner.billing.monthlyCosts.query({});
    expect(costs.totals.requests).toBe(3);
    expect(costs.byClient.map((c) => c.requests).sort()).toEqual([1, 2]);
    expect(costs.byFeature).toEqual([
      expect.objectContaining({ featureType: "field_extraction", requests: 3 }),
    ]);
    expect(costs.credit.status).toBe("ok");
    await expectError(owner.billing.monthlyCosts.query({ month: "2026-13" }), "BAD_REQUEST");
    // Well-formed but before any usage could exist: refused naming the field, never a 500.
    const early = await expectError(owner.billing.monthlyCosts.query({ month: "0000-01" }), "BAD_REQUEST");
    expect(early.data?.fieldErrors).toEqual([{ field: "month", message: "must be 1970 or later" }]);
    const before = await expectError(
      owner.billing.invoices.preview.query({ from: "0000-01-01", to: "0000-01-31" }),
      "BAD_REQUEST",
    );
    expect(before.data?.fieldErrors?.map((f) => f.field)).toEqual(["from", "to"]);
  });
});

describe("invoice from the database's sums (property)", () => {
  it("equals the invoice built row by row: price change mid-month, far timezone, every status", async () => {
    const t = await createTenant(server, { clients: 2, timezone: "Pacific/Auckland" }); // UTC+12 in June
    const owner = await t.as("owner");
    const model = `test-model-${t.organizationId.slice(0, 8)}`; // its own prices, no other test's
    // Its first price from the seeded prices' instant; every later change is in a future year (a
    // price is never backdated: the rollups keep the segment each request was made in).
    await server.services.db.insert(aiModelPrices).values({
      provider: "openai",
      model,
      inputPerMillion: "1.000000",
      cachedInputPerMillion: "0.500000",
      outputPerMillion: "4.000000",
      effectiveFrom: new Date("2025-01-01T00:00:00Z"),
    });
    const statuses = ["succeeded", "succeeded", "failed", "pending", "rejected"] as const;
    const usage = fc.array(
      fc.record({
        // 30 May to 2 July: June's invoice must take exactly the rows whose quota day is in June.
        // Often the 15th, the day this round's price changes.
        dayOffset: fc.oneof(fc.integer({ min: -2, max: 31 }), fc.constant(14)),
        // When in that (Auckland) day it was made; often just before, at or after 22:00, when this
        // round's price changes (10:00 UTC), or the same time the other side of midday.
        minute: fc.oneof(
          fc.integer({ min: 0, max: 1_439 }),
          fc.constantFrom(599, 600, 601, 1_319, 1_320, 1_321),
        ),
        client: fc.constantFrom(0, 1, null),
        feature: fc.constantFrom("field_extraction" as const, "smart_mapping" as const),
        status: fc.constantFrom(...statuses),
        model: fc.constantFrom(model, "gpt-4o-mini"),
        micros: fc.integer({ min: 0, max: 5_000_000 }),
        tokens: fc.integer({ min: 0, max: 50_000 }),
      }),
      { minLength: 10, maxLength: 40 },
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(usage, async (specs) => {
        round += 1;
        // Each round in a year of its own, so rounds never see each other's rows.
        const year = 2026 + round * 2;
        const values = specs.map((s) => {
          const day = new Date(Date.UTC(year, 5, 1 + s.dayOffset)).toISOString().slice(0, 10);
          // Auckland's midnight is noon UTC the day before.
          const createdAt = new Date(Date.parse(`${day}T00:00:00Z`) - 12 * 3_600_000 + s.minute * 60_000);
          const completed = s.status === "succeeded" || s.status === "failed";
          return {
            organizationId: t.organizationId,
            clientId: s.client === null ? null : t.clientIds[s.client]!,
            featureType: s.feature,
            status: s.status,
            rejectionReason: s.status === "rejected" ? ("rate_limited" as const) : null,
            costUsd: completed ? fromMicros(BigInt(s.micros), 6) : null,
            model: s.model,
            provider: "openai",
            inputTokens: completed ? s.tokens : 0,
            outputTokens: completed ? Math.floor(s.tokens / 3) : 0,
            cachedInputTokens: completed ? Math.floor(s.tokens / 5) : 0,
            quotaDay: day,
            createdAt,
          };
        });
        // Two price changes inside this round's June: its model on the 15th, gpt-4o-mini on the 25th.
        await server.services.db
          .insert(aiModelPrices)
          .values([
            {
              provider: "openai",
              model,
              inputPerMillion: "0.700000",
              cachedInputPerMillion: "0.350000",
              outputPerMillion: "2.800000",
              effectiveFrom: new Date(Date.UTC(year, 5, 15, 10)),
            },
            {
              provider: "openai",
              model: "gpt-4o-mini",
              inputPerMillion: "0.140000",
              cachedInputPerMillion: "0.070000",
              outputPerMillion: "0.550000",
              effectiveFrom: new Date(Date.UTC(year, 5, 25, 10)),
            },
          ])
          // The same gpt-4o-mini change again on a database an earlier run used.
          .onConflictDoNothing();
        await recordUsage(server, values);
        const prices = await server.services.db.select().from(aiModelPrices);
        const from = `${year}-06-01`;
        const to = `${year}-06-30`;
        const preview = await owner.billing.invoices.preview.query({ from, to });

        const inJune = values.filter((v) => v.quotaDay >= from && v.quotaDay <= to);
        const expected = buildInvoice({
          number: "DRAFT",
          organizationName: preview.invoice.organizationName,
          periodStart: from,
          periodEnd: to,
          issuedOn: preview.invoice.issuedOn,
          rows: inJune,
          // The same charges by client, summed here from the rows (the API sums the client rollups).
          clientCharges: monthlyBreakdown(inJune).byClient.map((c) => ({
            clientId: c.clientId,
            requests: c.requests,
            amountMicros: c.costMicros,
          })),
          prices,
          clientNames: new Map(preview.invoice.clients.map((c) => [c.clientId ?? "", c.clientName])),
          featureName: (f) => preview.invoice.lines.find((l) => l.featureType === f)?.featureName ?? "",
        });
        expect(preview.invoice.lines).toEqual(expected.lines);
        expect(preview.invoice.clients).toEqual(expected.clients);
        expect(preview.invoice.totals).toEqual(expected.totals);
        expect(preview.pendingRequests).toBe(inJune.filter((v) => v.status === "pending").length);
      }),
      { numRuns: 10, endOnFailure: true },
    );
  });
});
