import {
  AppError,
  aiInvoices,
  aiModelPrices,
  aiUsageLogs,
  aiUsageOrgDailyRollups,
  buildInvoice,
  dayInTimezone,
  formatInvoiceNumber,
  fromMicros,
  type Invoice,
  type InvoiceUsageRow,
  invoiceToCsv,
  invoiceToJson,
  lastDayOfMonth,
  monthInTimezone,
  organizations,
} from "@wedsync/core";
import { and, desc, eq, gt, gte, lte, sql } from "drizzle-orm";
import superjson from "superjson";
import type { Database, Executor } from "../infra/database";
import type { AnalyticsService, UsagePeriod } from "./analytics-service";
import { invoiceToHtml } from "./invoice-html";
import type { AIUsageTracker } from "./usage-tracker";

const FEATURE_NAMES = {
  pdf_analysis: "PDF analysis",
  field_extraction: "Field extraction",
  smart_mapping: "Smart mapping",
} as const;

export type InvoiceFormat = "csv" | "json" | "html";

/** First and last day of a "YYYY-MM" month. */
function monthPeriod(month: string): UsagePeriod {
  return { from: `${month}-01`, to: lastDayOfMonth(month) };
}

/**
 * The brief's AIBillingService. Every amount is a sum of the usage rows' stored costs (rounded
 * once, to the micro-dollar, when each row was completed); an invoice's total is that sum rounded
 * once, to the cent. Issued invoices are numbered per organization and immutable (a trigger).
 */
export class AIBillingService {
  constructor(
    private readonly db: Database,
    private readonly readDb: Database,
    private readonly analytics: AnalyticsService,
    private readonly tracker: AIUsageTracker,
  ) {}

  /** This month's (or `month`'s) costs by feature, client and model, in the organization's timezone. */
  async calculateMonthlyCosts(organizationId: string, month?: string, now = new Date()) {
    const org = await this.organization(organizationId);
    const period = monthPeriod(month ?? monthInTimezone(now, org.timezone));
    const breakdown = await this.analytics.breakdown(organizationId, period);
    return {
      month: period.from.slice(0, 7),
      ...breakdown,
      credit: await this.checkCreditLimits(organizationId, now),
    };
  }

  /** ok / warning (80%) / exceeded (100%) against the monthly credit limit. Admission uses the same rule. */
  checkCreditLimits(organizationId: string, now = new Date()) {
    return this.tracker.checkCostLimit(organizationId, now);
  }

  /**
   * The invoice a period would produce, without issuing it. Lines come from the organization-level
   * daily rollup, whose rows are per feature, provider, model and price segment (inside one, every
   * request of a model was charged one price): summed over the period's days, a few dozen rows.
   * The view by client comes from the client rollups. All in one snapshot, so that lines, clients
   * and the in-flight count agree while requests complete.
   */
  async generateInvoiceData(organizationId: string, period: UsagePeriod, number = "DRAFT", now = new Date()) {
    const org = await this.organization(organizationId);
    const prices = await this.readDb.select().from(aiModelPrices);
    const { rows, clientCharges, pendingRequests } = await this.readDb.transaction(
      async (tx) => {
        const [pendingRequests, rows, clientCharges] = await Promise.all([
          this.pendingRequests(tx, organizationId, period),
          this.billedUsage(tx, organizationId, period),
          this.analytics.clientCharges(organizationId, period, tx),
        ]);
        return { rows, clientCharges, pendingRequests };
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    const invoice = buildInvoice({
      number,
      organizationName: org.name,
      periodStart: period.from,
      periodEnd: period.to,
      issuedOn: dayInTimezone(now, org.timezone),
      rows,
      clientCharges,
      prices: prices.map((p) => ({ ...p })),
      clientNames: await this.analytics.coupleNames(clientCharges.map((c) => c.clientId)),
      featureName: (f) => FEATURE_NAMES[f],
    });
    return { invoice, pendingRequests };
  }

  /** Requests of the period admitted but not finished (the partial index of pending rows). */
  private async pendingRequests(db: Executor, organizationId: string, period: UsagePeriod) {
    const l = aiUsageLogs;
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(l)
      .where(
        and(
          eq(l.status, "pending"),
          eq(l.organizationId, organizationId),
          gte(l.quotaDay, period.from),
          lte(l.quotaDay, period.to),
        ),
      );
    return row?.n ?? 0;
  }

  /**
   * The period's completed requests per feature, provider, model and price segment, priced at the
   * segment's start (the price in force for all of it; before any price existed, none).
   */
  private async billedUsage(
    db: Executor,
    organizationId: string,
    period: UsagePeriod,
  ): Promise<Array<InvoiceUsageRow & { requests: number }>> {
    const o = aiUsageOrgDailyRollups;
    const rows = await db
      .select({
        featureType: o.featureType,
        provider: o.provider,
        model: o.model,
        segment: o.priceSegmentFrom,
        requests: sql<number>`sum(${o.requests})::int`,
        inputTokens: sql<string>`sum(${o.inputTokens})::text`,
        outputTokens: sql<string>`sum(${o.outputTokens})::text`,
        cachedInputTokens: sql<string>`sum(${o.cachedInputTokens})::text`,
        costMicros: sql<string>`sum(${o.costMicros})::text`,
      })
      .from(o)
      .where(
        and(
          eq(o.organizationId, organizationId),
          gte(o.day, period.from),
          lte(o.day, period.to),
          gt(o.requests, 0),
        ),
      )
      .groupBy(o.featureType, o.provider, o.model, o.priceSegmentFrom);
    return rows.map(({ segment, costMicros, ...r }) => ({
      ...r,
      // Succeeded and failed alike: a line counts every completed request (the rollup sums both).
      status: "succeeded" as const,
      clientId: null,
      inputTokens: Number(r.inputTokens),
      outputTokens: Number(r.outputTokens),
      cachedInputTokens: Number(r.cachedInputTokens),
      costUsd: fromMicros(BigInt(costMicros), 6),
      createdAt: segment ?? new Date(0),
    }));
  }

  /**
   * Issue the invoice for a finished period: numbered next in the organization's sequence, and
   * immutable from then on. A period still running, with requests still in flight, or already
   * invoiced is refused.
   */
  async issueInvoice(organizationId: string, period: UsagePeriod, issuedBy: string | null, now = new Date()) {
    const org = await this.organization(organizationId);
    const today = dayInTimezone(now, org.timezone);
    if (period.to >= today) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `The period has not ended yet (today is ${today} in ${org.timezone})`,
        {
          fieldErrors: [{ field: "to", message: "must be before today in the organization's timezone" }],
        },
      );
    }
    const existing = await this.findOverlapping(this.db, organizationId, period);
    if (existing) throw this.alreadyIssued(existing.number);

    const { invoice, pendingRequests } = await this.generateInvoiceData(
      organizationId,
      period,
      "PENDING",
      now,
    );
    if (pendingRequests > 0) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `${pendingRequests} requests of the period are still in flight; try again shortly`,
      );
    }
    try {
      return await this.db.transaction(async (tx) => {
        // One issuer at a time per organization: the sequence has no gaps and no duplicates.
        await tx.execute(sql`select id from organizations where id = ${organizationId} for update`);
        const overlapping = await this.findOverlapping(tx, organizationId, period);
        if (overlapping) throw this.alreadyIssued(overlapping.number);
        const [last] = await tx
          .select({ sequence: aiInvoices.sequence })
          .from(aiInvoices)
          .where(eq(aiInvoices.organizationId, organizationId))
          .orderBy(desc(aiInvoices.sequence))
          .limit(1);
        const sequence = (last?.sequence ?? 0) + 1;
        const number = formatInvoiceNumber(
          org.slug.replace(/[^a-z0-9]+/gi, "-"),
          Number(period.to.slice(0, 4)),
          sequence,
        );
        const issued: Invoice = { ...invoice, number };
        const [row] = await tx
          .insert(aiInvoices)
          .values({
            organizationId,
            sequence,
            number,
            periodStart: period.from,
            periodEnd: period.to,
            subtotalMicros: issued.totals.subtotalMicros,
            totalCents: issued.totals.totalMicros / 10_000n,
            document: superjson.serialize(issued) as unknown as Record<string, unknown>,
            issuedBy,
          })
          .returning();
        return this.summary(row!);
      });
    } catch (err) {
      // Another issuer took this period between our check and our insert.
      if (err instanceof AppError) throw err;
      const raced = await this.findOverlapping(this.db, organizationId, period);
      if (raced) throw this.alreadyIssued(raced.number);
      throw err;
    }
  }

  async listInvoices(organizationId: string) {
    const rows = await this.readDb
      .select()
      .from(aiInvoices)
      .where(eq(aiInvoices.organizationId, organizationId))
      .orderBy(desc(aiInvoices.sequence));
    return rows.map((r) => this.summary(r));
  }

  /** An issued invoice, as it was issued. Another organization's is NOT_FOUND. */
  async getInvoice(organizationId: string, invoiceId: string): Promise<Invoice> {
    const [row] = await this.readDb
      .select()
      .from(aiInvoices)
      .where(and(eq(aiInvoices.id, invoiceId), eq(aiInvoices.organizationId, organizationId)));
    if (!row) throw new AppError("NOT_FOUND", "Invoice not found");
    return superjson.deserialize(row.document as never) as Invoice;
  }

  async exportInvoice(organizationId: string, invoiceId: string, format: InvoiceFormat) {
    const invoice = await this.getInvoice(organizationId, invoiceId);
    const body =
      format === "csv"
        ? invoiceToCsv(invoice)
        : format === "json"
          ? invoiceToJson(invoice)
          : invoiceToHtml(invoice);
    const contentType = {
      csv: "text/csv; charset=utf-8",
      json: "application/json; charset=utf-8",
      html: "text/html; charset=utf-8",
    }[format];
    return { body, contentType, filename: `${invoice.number}.${format}` };
  }

  private summary(row: typeof aiInvoices.$inferSelect) {
    const cents = row.totalCents;
    return {
      id: row.id,
      number: row.number,
      sequence: row.sequence,
      periodStart: row.periodStart,
      periodEnd: row.periodEnd,
      currency: row.currency,
      subtotalUsd: fromMicros(row.subtotalMicros, 6),
      totalUsd: fromMicros(cents * 10_000n, 2),
      issuedAt: row.issuedAt,
    };
  }

  /** An issued invoice sharing a day with the period: billing it again would charge those days twice. */
  private async findOverlapping(db: Executor, organizationId: string, period: UsagePeriod) {
    const [row] = await db
      .select({ number: aiInvoices.number })
      .from(aiInvoices)
      .where(
        and(
          eq(aiInvoices.organizationId, organizationId),
          lte(aiInvoices.periodStart, period.to),
          gte(aiInvoices.periodEnd, period.from),
        ),
      )
      .limit(1);
    return row ?? null;
  }

  private alreadyIssued(number: string) {
    return new AppError(
      "CONFLICT",
      `Days of this period are already invoiced (${number}); issued invoices cannot change`,
      {
        details: { number },
      },
    );
  }

  private async organization(organizationId: string) {
    const [org] = await this.db.select().from(organizations).where(eq(organizations.id, organizationId));
    if (!org) throw new AppError("NOT_FOUND", "Organization not found");
    return org;
  }
}
