import { fromMicros, lastDayOfMonth } from "@wedsync/core";
import { type SQL, sql } from "drizzle-orm";
import { type Database, rowsOf } from "../infra/database";
import { currentMonthSql } from "./admin-organizations";

/**
 * An invoice row's status. "issued": an invoice was issued (numbered, immutable; view and
 * download it with billing.invoices.export). "not_issued": a month that has ended in the
 * organization's timezone, with billed requests, and no issued invoice covering any of its
 * days: its total is what the invoice would charge (the month's stored costs, rounded once to
 * the cent), to issue with billing.invoices.issue.
 */
export const INVOICE_STATUSES = ["issued", "not_issued"] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface AdminInvoiceQuery {
  /** "YYYY-MM": invoices whose period shares a day with it, and that month if not issued. */
  month?: string | undefined;
  status?: InvoiceStatus | undefined;
  organizationId?: string | undefined;
  limit: number;
  offset: number;
}

interface EntryRow {
  status: InvoiceStatus;
  invoice_id: string | null;
  number: string | null;
  organization_id: string;
  organization_name: string;
  organization_slug: string;
  period_start: string;
  period_end: string;
  subtotal_micros: string;
  total_micros: string | null;
  currency: string;
  issued_at: string | null;
}

/** Every organization's invoices, issued or still to issue, newest period first (platform staff). */
export class AdminInvoiceService {
  constructor(private readonly db: Database) {}

  async list(q: AdminInvoiceQuery, now = new Date()) {
    const entries = this.entries(q, await currentMonthSql(this.db, now, sql`o.timezone`));
    const [page, counted] = await Promise.all([
      this.db.execute(sql`
        select e.*, o.name as organization_name, o.slug as organization_slug
        from (${entries}) e join organizations o on o.id = e.organization_id
        order by e.period_start desc, lower(o.name), o.id, e.number
        limit ${q.limit} offset ${q.offset}`),
      this.db.execute(sql`select count(*)::int as n from (${entries}) e`),
    ]);
    return {
      invoices: rowsOf<EntryRow>(page).map((r) => ({
        status: r.status,
        invoiceId: r.invoice_id,
        number: r.number,
        organizationId: r.organization_id,
        organizationName: r.organization_name,
        organizationSlug: r.organization_slug,
        periodStart: r.period_start,
        periodEnd: r.period_end,
        currency: r.currency,
        subtotalUsd: fromMicros(BigInt(r.subtotal_micros), 6),
        // An issued invoice's total as it was issued; otherwise the subtotal rounded once, as issuing would.
        totalUsd: fromMicros(BigInt(r.total_micros ?? r.subtotal_micros), 2),
        issuedAt: r.issued_at === null ? null : new Date(r.issued_at),
      })),
      total: Number(rowsOf<{ n: number }>(counted)[0]?.n ?? 0),
      limit: q.limit,
      offset: q.offset,
    };
  }

  /** The matching rows of both kinds, as one relation (`currentMonth`: each organization's, over o.timezone). */
  private entries(q: AdminInvoiceQuery, currentMonth: SQL<string>): SQL {
    const first = q.month ? `${q.month}-01` : null;
    const last = q.month ? lastDayOfMonth(q.month) : null;
    const org = (column: SQL) => (q.organizationId ? sql`and ${column} = ${q.organizationId}::uuid` : sql``);
    const issued = sql`
      select 'issued'::text as status, i.id::text as invoice_id, i.number, i.organization_id,
        i.period_start::text as period_start, i.period_end::text as period_end,
        i.subtotal_micros::text as subtotal_micros, (i.total_cents * 10000)::text as total_micros,
        i.currency, to_json(i.issued_at) #>> '{}' as issued_at
      from ai_invoices i
      where true
        ${first && last ? sql`and i.period_start <= ${last}::date and i.period_end >= ${first}::date` : sql``}
        ${org(sql`i.organization_id`)}`;
    const monthEnd = sql`((u.month || '-01')::date + interval '1 month' - interval '1 day')::date`;
    const notIssued = sql`
      select 'not_issued'::text as status, null::text as invoice_id, null::text as number, u.organization_id,
        u.month || '-01' as period_start, ${monthEnd}::text as period_end,
        u.micros::text as subtotal_micros, null::text as total_micros, 'USD'::text as currency,
        null::text as issued_at
      from (
        select r.organization_id, to_char(r.day, 'YYYY-MM') as month, sum(r.cost_micros) as micros
        from ai_usage_org_daily_rollups r
        where r.requests > 0
          ${first && last ? sql`and r.day between ${first}::date and ${last}::date` : sql``}
          ${org(sql`r.organization_id`)}
        group by 1, 2
      ) u
      join organizations o on o.id = u.organization_id
      where u.month < ${currentMonth}
        and not exists (
          select 1 from ai_invoices i
          where i.organization_id = u.organization_id
            and i.period_start <= ${monthEnd} and i.period_end >= (u.month || '-01')::date)`;
    if (q.status === "issued") return issued;
    if (q.status === "not_issued") return notIssued;
    return sql`${issued} union all ${notIssued}`;
  }
}
