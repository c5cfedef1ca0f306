/**
 * admin.organizations.list / get (platform staff): search, sort and paging checked against an
 * order computed here, each row's month spend and credit status exact (the organization's own
 * month, in its timezone), active alerts, a constant number of queries whatever the page size,
 * and one organization's overview.
 */
import { randomUUID } from "node:crypto";
import { hashPassword } from "@wedsync/api/passwords";
import type { RunningServer } from "@wedsync/api/server";
import type { RouterOutputs } from "@wedsync/client";
import { createWedsyncSessionClient } from "@wedsync/client";
import {
  aiAlerts,
  aiMonthlySpend,
  monthInTimezone,
  SUBSCRIPTION_TIERS,
  type SubscriptionTier,
  users,
} from "@wedsync/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, fieldsOf } from "./harness/errors";
import { startTestServer } from "./harness/server";
import { createStaffUser, createTenant, type SessionClient, TEST_PASSWORD } from "./harness/tenant";

type Row = RouterOutputs["admin"]["organizations"]["list"]["rows"][number];

let server: RunningServer;
let staff: SessionClient;
beforeAll(async () => {
  server = await startTestServer();
  staff = await createStaffUser(server);
});
afterAll(() => server?.close());

interface Seed {
  name: string;
  tier: SubscriptionTier;
  timezone: string;
  clients: number;
  /** This month's settled and in-flight spend, micro-dollars. */
  spent: bigint;
  reserved: bigint;
  creditLimit: string;
}

/** Organizations whose names and slugs share a token no other test uses (PostgreSQL is shared). */
async function seedOrganizations(seeds: Seed[]) {
  const token = `zq${randomUUID().slice(0, 8)}`;
  const { organizations, db } = server.services;
  const made = [];
  for (const [i, s] of seeds.entries()) {
    const org = await organizations.createOrganization({
      name: `${s.name} ${token}`,
      slug: `${token}-${i}`,
      tier: s.tier,
      billingEmail: `billing-${i}@${token}.test`,
      timezone: s.timezone,
      monthlyCreditLimit: s.creditLimit,
    });
    for (let c = 0; c < s.clients; c++)
      await organizations.createClient({ organizationId: org.id, coupleNames: `Couple ${c}` });
    if (s.spent > 0n || s.reserved > 0n) {
      await db.insert(aiMonthlySpend).values({
        organizationId: org.id,
        month: monthInTimezone(new Date(), s.timezone),
        spentMicros: s.spent,
        reservedMicros: s.reserved,
      });
    }
    made.push({ ...s, id: org.id, name: org.name, createdAt: org.createdAt });
  }
  return { token, orgs: made };
}

const SEEDS: Seed[] = [
  {
    name: "delta",
    tier: "enterprise",
    timezone: "Europe/Paris",
    clients: 3,
    spent: 12_345_678n,
    reserved: 0n,
    creditLimit: "100.00",
  },
  {
    name: "alpha",
    tier: "free",
    timezone: "Europe/London",
    clients: 0,
    spent: 0n,
    reserved: 0n,
    creditLimit: "100.00",
  },
  {
    name: "charlie",
    tier: "professional",
    timezone: "America/New_York",
    clients: 3,
    spent: 80_000_000n,
    reserved: 1n,
    creditLimit: "100.00",
  },
  {
    name: "echo",
    tier: "free",
    timezone: "UTC",
    clients: 1,
    spent: 99_999_999n,
    reserved: 2n,
    creditLimit: "100.00",
  },
  {
    name: "bravo",
    tier: "professional",
    timezone: "Asia/Tokyo",
    clients: 5,
    spent: 1n,
    reserved: 0n,
    creditLimit: "0.50",
  },
];

type Seeded = Awaited<ReturnType<typeof seedOrganizations>>["orgs"][number];

/** The order the API must give, computed independently: by the key, then lower-case name, then id. */
function expectedOrder(orgs: Seeded[], sort: string, direction: "asc" | "desc") {
  const key = (o: Seeded): number | bigint | string =>
    ({
      name: o.name.toLowerCase(),
      tier: SUBSCRIPTION_TIERS.indexOf(o.tier),
      clients: o.clients,
      monthSpend: o.spent,
      createdAt: o.createdAt.getTime(),
    })[sort]!;
  const cmp = (a: number | bigint | string, b: number | bigint | string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...orgs]
    .sort((a, b) => {
      const primary = cmp(key(a), key(b)) * (direction === "asc" ? 1 : -1);
      return primary || cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.id, b.id);
    })
    .map((o) => o.id);
}

describe("admin.organizations.list", () => {
  it("searches name or slug in any case, its own % and _ literal; filters by tier", async () => {
    const { token, orgs } = await seedOrganizations(SEEDS);
    const byName = await staff.admin.organizations.list.query({ search: token.toUpperCase(), limit: 100 });
    expect(byName.total).toBe(5);
    expect(byName.rows.map((r) => r.id).sort()).toEqual(orgs.map((o) => o.id).sort());

    const bySlug = await staff.admin.organizations.list.query({ search: `${token}-3` });
    expect(bySlug.rows.map((r) => r.name)).toEqual([`echo ${token}`]);

    const alphaOnly = await staff.admin.organizations.list.query({ search: `ALPHA ${token}` });
    expect(alphaOnly.rows.map((r) => r.name)).toEqual([`alpha ${token}`]);

    // "_" and "%" are not wildcards: nothing is named with them.
    expect((await staff.admin.organizations.list.query({ search: `${token}%` })).total).toBe(0);
    expect((await staff.admin.organizations.list.query({ search: `delta_${token}` })).total).toBe(0);

    const free = await staff.admin.organizations.list.query({ search: token, tier: "free" });
    expect(free.rows.map((r) => r.name)).toEqual([`alpha ${token}`, `echo ${token}`]);
    expect(free.total).toBe(2);
  });

  it("sorts by every key both ways, ties by name; pages fit together with the total", async () => {
    const { token, orgs } = await seedOrganizations(SEEDS);
    for (const sort of ["name", "tier", "clients", "monthSpend", "createdAt"] as const) {
      for (const direction of ["asc", "desc"] as const) {
        const all = await staff.admin.organizations.list.query({ search: token, sort, direction });
        expect({ sort, direction, ids: all.rows.map((r) => r.id) }).toEqual({
          sort,
          direction,
          ids: expectedOrder(orgs, sort, direction),
        });
        const pages: string[] = [];
        for (let offset = 0; offset < 5; offset += 2) {
          const page = await staff.admin.organizations.list.query({
            search: token,
            sort,
            direction,
            limit: 2,
            offset,
          });
          expect(page.total).toBe(5);
          expect(page.rows.length).toBe(Math.min(2, 5 - offset));
          pages.push(...page.rows.map((r) => r.id));
        }
        expect(pages).toEqual(all.rows.map((r) => r.id));
      }
    }
    const past = await staff.admin.organizations.list.query({ search: token, offset: 10 });
    expect(past).toMatchObject({ rows: [], total: 5 });
  });

  it("each row: client count, exact month spend and the credit status billing reports", async () => {
    const { token, orgs } = await seedOrganizations(SEEDS);
    const { rows } = await staff.admin.organizations.list.query({ search: token });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const expected: Record<string, Pick<Row, "monthSpendUsd" | "creditLimitUsd"> & { status: string }> = {
      delta: { monthSpendUsd: "12.345678", creditLimitUsd: "100.00", status: "ok" },
      alpha: { monthSpendUsd: "0.000000", creditLimitUsd: "100.00", status: "ok" },
      charlie: { monthSpendUsd: "80.000000", creditLimitUsd: "100.00", status: "warning" },
      echo: { monthSpendUsd: "99.999999", creditLimitUsd: "100.00", status: "exceeded" },
      bravo: { monthSpendUsd: "0.000001", creditLimitUsd: "0.50", status: "ok" },
    };
    for (const o of orgs) {
      const row = byId.get(o.id)!;
      const want = expected[o.name.split(" ")[0]!]!;
      expect(row).toMatchObject({
        tier: o.tier,
        timezone: o.timezone,
        clientCount: o.clients,
        monthSpendUsd: want.monthSpendUsd,
        creditLimitUsd: want.creditLimitUsd,
        credit: { status: want.status, month: monthInTimezone(new Date(), o.timezone) },
        activeAlerts: 0,
      });
      // The same figures as the supplier app's billing screen.
      const credit = await staff.billing.creditStatus.query({ organizationId: o.id });
      expect(row.credit).toEqual(credit);
    }
  });

  it("counts this month in each organization's own timezone", async () => {
    // 2026-03-31 12:00 UTC is already April in Kiritimati (UTC+14) and still March in Pago Pago (UTC-11).
    const now = new Date("2026-03-31T12:00:00Z");
    const { token, orgs } = await seedOrganizations(
      ["Pacific/Kiritimati", "Pacific/Pago_Pago"].map((timezone, i) => ({
        name: `tz${i}`,
        tier: "free" as const,
        timezone,
        clients: 0,
        spent: 0n,
        reserved: 0n,
        creditLimit: "100.00",
      })),
    );
    for (const o of orgs) {
      await server.services.db.insert(aiMonthlySpend).values([
        { organizationId: o.id, month: "2026-03", spentMicros: 3_000_000n, reservedMicros: 0n },
        { organizationId: o.id, month: "2026-04", spentMicros: 4_000_000n, reservedMicros: 0n },
      ]);
    }
    const { rows } = await server.services.adminOrganizations.list(
      { search: token, sort: "name", direction: "asc", limit: 10, offset: 0 },
      now,
    );
    expect(rows.map((r) => [r.timezone, r.credit.month, r.monthSpendUsd])).toEqual([
      ["Pacific/Kiritimati", "2026-04", "4.000000"],
      ["Pacific/Pago_Pago", "2026-03", "3.000000"],
    ]);
    expect(rows.map((r) => r.credit.month)).toEqual(orgs.map((o) => monthInTimezone(now, o.timezone)));
  });

  it("active alerts: those raised in the last 24 hours", async () => {
    const { token, orgs } = await seedOrganizations(SEEDS.slice(0, 2));
    const alert = (organizationId: string, threshold: number, hoursAgo: number) => ({
      organizationId,
      kind: "monthly_cost" as const,
      threshold,
      period: "2026-01",
      value: "1.000000",
      message: `test alert at ${threshold}%`,
      createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
    });
    await server.services.db
      .insert(aiAlerts)
      .values([alert(orgs[0]!.id, 50, 1), alert(orgs[0]!.id, 80, 23), alert(orgs[0]!.id, 100, 25)]);
    const { rows } = await staff.admin.organizations.list.query({ search: token });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.activeAlerts]))).toEqual({
      [orgs[0]!.id]: 2,
      [orgs[1]!.id]: 0,
    });
  });

  it("each row: the emergency throttles reaching it now, lifted ones gone", async () => {
    const { token, orgs } = await seedOrganizations(SEEDS.slice(0, 2));
    const throttle = await staff.throttles.set.mutate({
      scope: "organization",
      organizationId: orgs[0]!.id,
      mode: "cap",
      perMinute: 7,
      reason: "runaway integration",
    });
    try {
      const { rows } = await staff.admin.organizations.list.query({ search: token });
      const byId = Object.fromEntries(rows.map((r) => [r.id, r.throttles]));
      expect(byId[orgs[0]!.id]).toEqual([
        expect.objectContaining({ id: throttle.id, scope: "organization", mode: "cap", perMinute: 7 }),
      ]);
      expect(byId[orgs[1]!.id]).toEqual([]);
    } finally {
      await staff.throttles.lift.mutate({ id: throttle.id });
    }
    const { rows } = await staff.admin.organizations.list.query({ search: token });
    expect(rows.every((r) => r.throttles.length === 0)).toBe(true);
  });

  it("runs the same number of queries for a page of 1 and a page of 5 (no query per row)", async () => {
    const { token } = await seedOrganizations(SEEDS);
    const count = countQueries(server);
    const query = (limit: number) =>
      server.services.adminOrganizations.list({
        search: token,
        sort: "name",
        direction: "asc",
        limit,
        offset: 0,
      });
    try {
      count.reset();
      expect((await query(1)).rows).toHaveLength(1);
      const one = count.n;
      count.reset();
      expect((await query(5)).rows).toHaveLength(5);
      expect(count.n).toBe(one);
      expect(one).toBeGreaterThanOrEqual(2);
      expect(one).toBeLessThanOrEqual(4);
    } finally {
      count.stop();
    }
  });

  it("refuses bad input naming the field", async () => {
    const e1 = await expectError(staff.admin.organizations.list.query({ limit: 101 }), "BAD_REQUEST");
    expect(fieldsOf(e1)).toEqual(["limit"]);
    const e2 = await expectError(
      staff.admin.organizations.list.query({ sort: "revenue" as never }),
      "BAD_REQUEST",
    );
    expect(fieldsOf(e2)).toEqual(["sort"]);
  });
});

describe("admin.organizations.get", () => {
  it("one organization's overview: row, members, features with override counts, invoice preview, last alerts", async () => {
    const t = await createTenant(server, { tier: "professional", clients: 3 });
    const owner = await t.as("owner");
    await owner.clients.config.update.mutate({
      clientId: t.clientIds[0]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 10 },
    });
    await owner.clients.config.update.mutate({
      clientId: t.clientIds[1]!,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { isEnabled: false },
    });
    await server.services.db.insert(aiAlerts).values(
      [50, 80, 90, 95, 99, 100].map((threshold) => ({
        organizationId: t.organizationId,
        kind: "daily_cost" as const,
        threshold,
        period: "2026-01-01",
        value: "1.000000",
        message: `at ${threshold}%`,
      })),
    );

    const o = await staff.admin.organizations.get.query({ organizationId: t.organizationId });
    const { rows } = await staff.admin.organizations.list.query({ search: t.slug });
    expect(o).toMatchObject({ ...rows[0], billingEmail: `billing@${t.slug}.test`, clientCount: 3 });
    expect(o.members.map((m) => [m.role, m.email])).toEqual([
      ["owner", t.emails.owner],
      ["admin", t.emails.admin],
      ["member", t.emails.member],
    ]);
    const fe = o.features.find((f) => f.featureType === "field_extraction")!;
    expect(fe).toMatchObject({ clientOverrides: 2, clientsSwitchedOff: 1, isEnabled: true });
    expect(o.features.find((f) => f.featureType === "pdf_analysis")).toMatchObject({ clientOverrides: 0 });
    const month = o.credit.month;
    const preview = await staff.billing.invoices.preview.query({
      organizationId: t.organizationId,
      from: `${month}-01`,
      to: o.invoicePreview.periodEnd,
    });
    expect(o.invoicePreview).toMatchObject({
      periodStart: `${month}-01`,
      totalUsd: preview.invoice.totals.total,
      pendingRequests: 0,
    });
    expect(o.recentAlerts.map((a) => a.threshold)).toEqual([100, 99, 95, 90, 80]);
    expect(o.activeAlerts).toBe(6);
  });

  it("an unknown organization is NOT_FOUND", async () => {
    await expectError(staff.admin.organizations.get.query({ organizationId: randomUUID() }), "NOT_FOUND");
  });
});

/** Counts the statements the server's database handle prepares (every drizzle query goes through it). */
function countQueries(s: RunningServer) {
  type Session = { prepareQuery: (...args: unknown[]) => unknown };
  const session = (s.services.db as unknown as { _: { session: Session } })._.session;
  const original = session.prepareQuery;
  const counter = {
    n: 0,
    reset: () => {
      counter.n = 0;
    },
    stop: () => {
      session.prepareQuery = original;
    },
  };
  session.prepareQuery = (...args: unknown[]) => {
    const query = args[0] as { sql?: string };
    // Only this feature's statements: background work (heartbeats, sweeps) runs meanwhile.
    if (/"organizations"|ai_alerts|organizations/.test(query.sql ?? "")) counter.n++;
    return original.apply(session, args);
  };
  return counter;
}

describe("admin procedures as staff, fed what a careless or hostile caller might send", () => {
  it("never answer with a 5xx", async () => {
    const t = await createTenant(server, { clients: 1 });
    const email = `staff-fuzz-${randomUUID().slice(0, 8)}@wedsync.test`;
    await server.services.db.insert(users).values({
      email,
      name: "Staff",
      passwordHash: await hashPassword(TEST_PASSWORD),
      isPlatformStaff: true,
    });
    const jar = { cookie: "" };
    await createWedsyncSessionClient({ url: server.url, jar }).auth.login.mutate({
      email,
      password: TEST_PASSWORD,
    });
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom(
        "%",
        "_",
        "\\",
        "'; drop table users; --",
        "Etc/GMT+14",
        "EST",
        "2026-02-30",
        "9999-12",
      ),
    );
    const anything = fc.oneof(
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue(),
    );
    const id = fc.oneof(fc.constant(t.organizationId), fc.uuid(), text);
    const input = fc.record(
      {
        organizationId: id,
        organizationIds: fc.array(id, { maxLength: 3 }),
        search: text,
        tier: fc.oneof(fc.constantFrom("free", "professional", "enterprise"), text),
        sort: fc.oneof(fc.constantFrom("name", "tier", "clients", "monthSpend", "createdAt"), text),
        direction: fc.constantFrom("asc", "desc", "up"),
        limit: anything,
        offset: anything,
        cursor: anything,
        actor: text,
        featureType: fc.constantFrom("pdf_analysis", "field_extraction", "smart_mapping", "x"),
        entityKind: fc.constantFrom("platform_config", "throttle", "x"),
        from: fc.oneof(fc.constantFrom("2026-01-01", "1900-01-01", "2999-12-31"), text),
        to: fc.oneof(fc.constantFrom("2026-01-31", "0001-01-01"), text),
        timeZone: fc.oneof(fc.constantFrom("UTC", "Europe/Paris", "Pacific/Kiritimati"), text),
        month: fc.oneof(fc.constantFrom("2026-01", "0000-01", "9999-12"), text),
        status: fc.constantFrom("issued", "not_issued", "paid"),
        selection: fc.oneof(
          fc.record({ organizationIds: fc.array(id, { maxLength: 3 }) }),
          fc.record({
            filter: fc.record({ tier: fc.constantFrom("free", "x"), search: text }, { requiredKeys: [] }),
          }),
          anything,
        ),
        patch: fc.record(
          {
            isEnabled: fc.oneof(fc.boolean(), anything),
            maxRequestsPerDay: anything,
            maxCostPerDay: anything,
            rateLimitPerMinute: anything,
            model: text,
          },
          { requiredKeys: [] },
        ),
        applyToCurrent: fc.constantFrom(true, false),
        expectedVersions: anything,
      },
      { requiredKeys: [] },
    );
    // Well-formed values only, so the queries behind the checks run too (with odd searches and actors).
    const plausible = fc.record(
      {
        search: text,
        actor: text,
        tier: fc.constantFrom("free", "professional", "enterprise"),
        featureType: fc.constantFrom("pdf_analysis", "field_extraction", "smart_mapping"),
        from: fc.constantFrom("1970-01-01", "2026-01-01"),
        timeZone: fc.constantFrom("UTC", "Pacific/Kiritimati", "America/St_Johns"),
        month: fc.constantFrom("1970-01", "2026-01", "9999-12"),
        status: fc.constantFrom("issued", "not_issued"),
        offset: fc.integer({ min: 0, max: 1_000_000 }),
      },
      { requiredKeys: [] },
    );
    const procedures = [
      ["admin.organizations.list", "query"],
      ["admin.organizations.get", "query"],
      ["admin.bulk.preview", "query"],
      ["admin.bulk.update", "mutation"],
      ["admin.audit.list", "query"],
      ["admin.invoices.list", "query"],
    ] as const;
    const answered = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...procedures),
        fc.oneof(input, plausible),
        async ([name, type], body) => {
          const raw = JSON.stringify({ json: body });
          const res =
            type === "query"
              ? await fetch(`${server.url}/trpc/${name}?input=${encodeURIComponent(raw)}`, {
                  headers: { cookie: jar.cookie },
                })
              : await fetch(`${server.url}/trpc/${name}`, {
                  method: "POST",
                  headers: { cookie: jar.cookie, "content-type": "application/json" },
                  body: raw,
                });
          expect(res.status, `${name} ${raw.slice(0, 300)}`).toBeLessThan(500);
          if (res.status === 200) answered.set(name, (answered.get(name) ?? 0) + 1);
        },
      ),
      { numRuns: 300 },
    );
    // Not only refusals: the queries also ran with what got through.
    for (const name of ["admin.organizations.list", "admin.audit.list", "admin.invoices.list"])
      expect({ name, answered: (answered.get(name) ?? 0) > 0 }).toEqual({ name, answered: true });
  });
});
