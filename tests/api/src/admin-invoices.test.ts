/**
 * admin.invoices.list (platform staff): every organization's invoices, issued or still to issue,
 * filtered by month, status and organization, totals exact and equal to what billing says; staff
 * view and download any organization's invoice through the billing procedures.
 */
import type { RunningServer } from "@wedsync/api/server";
import { lastDayOfMonth, monthInTimezone } from "@wedsync/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { createStaffUser, createTenant, type SessionClient, type Tenant } from "./harness/tenant";
import { recordUsage } from "./harness/usage";

let server: RunningServer;
let staff: SessionClient;
beforeAll(async () => {
  server = await startTestServer();
  staff = await createStaffUser(server);
});
afterAll(() => server?.close());

/** "YYYY-MM", `n` months before this one (UTC). */
function monthsAgo(n: number): string {
  const [y, m] = monthInTimezone(new Date(), "UTC").split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

async function usage(t: Tenant, rows: Array<{ day: string; costUsd: string }>) {
  await recordUsage(
    server,
    rows.map((r) => ({
      organizationId: t.organizationId,
      clientId: t.clientIds[0]!,
      featureType: "field_extraction" as const,
      status: "succeeded" as const,
      costUsd: r.costUsd,
      model: "gpt-4o-mini",
      provider: "openai",
      inputTokens: 100,
      outputTokens: 20,
      quotaDay: r.day,
      createdAt: new Date(`${r.day}T12:00:00Z`),
    })),
  );
}

const [M1, M2, M3, NOW] = [monthsAgo(3), monthsAgo(2), monthsAgo(1), monthsAgo(0)];

/**
 * M1: issued in full ($0.005001 → $0.01). M2: billed, never invoiced ($1.234567 → $1.23).
 * M3: its first ten days invoiced, later usage too (partly invoiced: not listed as to issue).
 * This month: usage, but the month has not ended.
 */
async function tenantWithInvoices() {
  const t = await createTenant(server, { clients: 1 });
  const owner = await t.as("owner");
  await usage(t, [
    { day: `${M1}-03`, costUsd: "0.004999" },
    { day: `${M1}-28`, costUsd: "0.000002" },
    { day: `${M2}-15`, costUsd: "1.234567" },
    { day: `${M3}-05`, costUsd: "2.000000" },
    { day: `${M3}-20`, costUsd: "3.000000" },
    { day: `${NOW}-01`, costUsd: "4.000000" },
  ]);
  const m1 = await owner.billing.invoices.issue.mutate({ from: `${M1}-01`, to: lastDayOfMonth(M1) });
  const m3 = await owner.billing.invoices.issue.mutate({ from: `${M3}-01`, to: `${M3}-10` });
  return { t, m1, m3 };
}

/** Every page of a listing across organizations (the PostgreSQL database is shared and keeps growing). */
async function everyPage(input: { month: string; status: "issued" | "not_issued" }) {
  const rows = [];
  for (let offset = 0; ; offset += 100) {
    const page = await staff.admin.invoices.list.query({ ...input, limit: 100, offset });
    rows.push(...page.invoices);
    if (offset + 100 >= page.total) return rows;
  }
}

describe("admin.invoices.list", () => {
  it("an organization's invoices, issued and still to issue, newest period first, totals as billing has them", async () => {
    const { t, m1, m3 } = await tenantWithInvoices();
    const res = await staff.admin.invoices.list.query({ organizationId: t.organizationId });
    expect(res.total).toBe(3);
    expect(
      res.invoices.map((i) => [i.status, i.number, i.periodStart, i.periodEnd, i.subtotalUsd, i.totalUsd]),
    ).toEqual([
      ["issued", m3.number, `${M3}-01`, `${M3}-10`, "2.000000", "2.00"],
      ["not_issued", null, `${M2}-01`, lastDayOfMonth(M2), "1.234567", "1.23"],
      ["issued", m1.number, `${M1}-01`, lastDayOfMonth(M1), "0.005001", "0.01"],
    ]);
    for (const i of res.invoices) expect(i.organizationName).toBe(`Test Org ${t.slug}`);
    expect(res.invoices[0]).toMatchObject({ invoiceId: m3.id, currency: "USD", issuedAt: m3.issuedAt });
    expect(res.invoices[1]).toMatchObject({ invoiceId: null, issuedAt: null });

    // The same figures as the supplier app's billing screens.
    const issued = await staff.billing.invoices.list.query({ organizationId: t.organizationId });
    expect(issued.map((i) => [i.number, i.totalUsd])).toEqual([
      [m3.number, "2.00"],
      [m1.number, "0.01"],
    ]);
    const preview = await staff.billing.invoices.preview.query({
      organizationId: t.organizationId,
      from: `${M2}-01`,
      to: lastDayOfMonth(M2),
    });
    expect([preview.invoice.totals.subtotal, preview.invoice.totals.total]).toEqual(["1.234567", "1.23"]);
  });

  it("filters by status and month, pages with the total", async () => {
    const { t, m1, m3 } = await tenantWithInvoices();
    const list = (input: Record<string, unknown>) =>
      staff.admin.invoices.list.query({ organizationId: t.organizationId, ...input });
    expect((await list({ status: "issued" })).invoices.map((i) => i.number)).toEqual([m3.number, m1.number]);
    expect((await list({ status: "not_issued" })).invoices.map((i) => i.periodStart)).toEqual([`${M2}-01`]);
    expect((await list({ month: M1 })).invoices.map((i) => i.number)).toEqual([m1.number]);
    expect((await list({ month: M2 })).invoices.map((i) => i.status)).toEqual(["not_issued"]);
    expect((await list({ month: M3 })).invoices.map((i) => i.number)).toEqual([m3.number]);
    expect((await list({ month: M2, status: "issued" })).invoices).toEqual([]);
    // The running month is never "to issue".
    expect(await list({ month: NOW })).toMatchObject({ invoices: [], total: 0 });

    const whole = await list({});
    const pages = [];
    for (let offset = 0; offset < 3; offset++) {
      const page = await list({ limit: 1, offset });
      expect(page.total).toBe(3);
      pages.push(...page.invoices);
    }
    expect(pages).toEqual(whole.invoices);
  });

  it("across organizations: each row matches the filters and names its organization", async () => {
    const a = await tenantWithInvoices();
    const b = await tenantWithInvoices();
    const res = { invoices: await everyPage({ month: M2, status: "not_issued" }) };
    const mine = res.invoices.filter((i) =>
      [a.t.organizationId, b.t.organizationId].includes(i.organizationId),
    );
    expect(mine.map((i) => i.organizationName).sort()).toEqual(
      [`Test Org ${a.t.slug}`, `Test Org ${b.t.slug}`].sort(),
    );
    for (const i of res.invoices) expect([i.status, i.periodStart]).toEqual(["not_issued", `${M2}-01`]);
    const issued = { invoices: await everyPage({ month: M1, status: "issued" }) };
    for (const i of issued.invoices) {
      expect(i.status).toBe("issued");
      expect(i.periodStart <= lastDayOfMonth(M1) && i.periodEnd >= `${M1}-01`).toBe(true);
    }
    expect(issued.invoices.map((i) => i.number)).toEqual(expect.arrayContaining([a.m1.number, b.m1.number]));
  });

  it("staff view and download any organization's invoice through the billing procedures", async () => {
    const { t, m1 } = await tenantWithInvoices();
    const [row] = (await staff.admin.invoices.list.query({ organizationId: t.organizationId, month: M1 }))
      .invoices;
    for (const format of ["csv", "json", "html"] as const) {
      const file = await staff.billing.invoices.export.query({
        organizationId: t.organizationId,
        invoiceId: row!.invoiceId!,
        format,
      });
      expect(file.filename).toBe(`${m1.number}.${format}`);
      expect(file.body).toContain(m1.number);
    }
    const owner = await t.as("owner");
    const theirs = await owner.billing.invoices.export.query({ invoiceId: m1.id, format: "json" });
    const mine = await staff.billing.invoices.export.query({
      organizationId: t.organizationId,
      invoiceId: m1.id,
      format: "json",
    });
    expect(mine.body).toBe(theirs.body);
    expect(JSON.parse(mine.body)).toMatchObject({ number: m1.number });
  });

  it("refuses bad filters naming the field", async () => {
    const cases: Array<[unknown, string]> = [
      [{ month: "2026-13" }, "month"],
      [{ month: "2026-01-01" }, "month"],
      [{ month: "0000-01" }, "month"],
      [{ status: "paid" }, "status"],
      [{ organizationId: "acme" }, "organizationId"],
      [{ limit: 101 }, "limit"],
      [{ offset: -1 }, "offset"],
    ];
    for (const [input, field] of cases) {
      const e = await expectError(staff.admin.invoices.list.query(input as never), "BAD_REQUEST");
      expect({ input, fields: fieldsOf(e) }).toEqual({ input, fields: [field] });
    }
  });
});
