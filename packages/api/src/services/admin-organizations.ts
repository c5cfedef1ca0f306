import {
  AppError,
  aiAlerts,
  aiClientConfigs,
  aiMonthlySpend,
  aiPlatformConfigs,
  clients,
  creditStatus,
  fromMicros,
  lastDayOfMonth,
  memberships,
  monthInTimezone,
  organizations,
  type SubscriptionTier,
  toMicros,
  users,
} from "@wedsync/core";
import {
  type AnyColumn,
  and,
  asc,
  count,
  desc,
  eq,
  gte,
  ilike,
  inArray,
  or,
  type SQL,
  sql,
} from "drizzle-orm";
import type { Database, Executor } from "../infra/database";
import type { AlertService } from "./alert-service";
import type { AIBillingService } from "./billing-service";
import type { PlatformConfigService } from "./platform-config-service";
import type { ThrottleService } from "./throttle-service";

export const ORGANIZATION_SORTS = ["name", "tier", "clients", "monthSpend", "createdAt"] as const;
export type OrganizationSort = (typeof ORGANIZATION_SORTS)[number];

/** An alert is "active" for this long after it was raised (alerts have no acknowledgement). */
export const ACTIVE_ALERT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The last alerts an organization's overview shows. */
const RECENT_ALERTS = 5;

export interface OrganizationFilter {
  /** Part of the name or the slug, any case. */
  search?: string | undefined;
  tier?: SubscriptionTier | undefined;
}

export interface OrganizationListQuery extends OrganizationFilter {
  sort: OrganizationSort;
  direction: "asc" | "desc";
  limit: number;
  offset: number;
}

/** `text` as a LIKE pattern matching it anywhere, its own % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The organizations a filter selects (also the bulk change's "all matching" selection). */
export function organizationFilter(filter: OrganizationFilter): SQL | undefined {
  const pattern = filter.search ? containsPattern(filter.search) : null;
  return and(
    filter.tier ? eq(organizations.subscriptionTier, filter.tier) : undefined,
    pattern ? or(ilike(organizations.name, pattern), ilike(organizations.slug, pattern)) : undefined,
  );
}

/**
 * Each organization's month now, as admission and billing count it (core's monthInTimezone, the
 * runtime's timezone rules, never the database's), as SQL over a timezone column: a CASE built
 * from the timezones in use (one small query).
 */
export async function currentMonthSql(
  db: Executor,
  now: Date,
  timezone: AnyColumn | SQL,
): Promise<SQL<string>> {
  const zones = await db.selectDistinct({ timezone: organizations.timezone }).from(organizations);
  const cases = zones.flatMap(({ timezone: tz }) => {
    try {
      return [sql`when ${tz} then ${monthInTimezone(now, tz)}::text`];
    } catch {
      return []; // a timezone the runtime does not know has no month: no spend shown, none hidden
    }
  });
  if (cases.length === 0) return sql<string>`null::text`;
  return sql<string>`(case ${timezone} ${sql.join(cases, sql` `)} end)`;
}

/**
 * Platform staff's view of organizations: the list (search, sort, page) and one organization's
 * overview. A page costs the same few queries whatever its size.
 */
export class AdminOrganizationService {
  constructor(
    private readonly db: Database,
    private readonly platformConfig: PlatformConfigService,
    private readonly billing: AIBillingService,
    private readonly alerts: AlertService,
    private readonly throttles: ThrottleService,
  ) {}

  async list(query: OrganizationListQuery, now = new Date()) {
    const where = organizationFilter(query);
    const [base, [total]] = await Promise.all([
      this.baseRows(where, now, query),
      this.db.select({ n: count() }).from(organizations).where(where),
    ]);
    return {
      rows: await this.rows(base, now),
      total: Number(total?.n ?? 0),
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** One organization's overview for its admin page. NOT_FOUND for an unknown id. */
  async get(organizationId: string, now = new Date()) {
    const base = await this.baseRows(eq(organizations.id, organizationId), now, {
      sort: "name",
      direction: "asc",
      limit: 1,
      offset: 0,
    });
    if (base.length === 0) throw new AppError("NOT_FOUND", "Organization not found");
    const [row] = await this.rows(base, now);
    const month = row!.credit.month;
    const [members, config, overrides, preview, alerts] = await Promise.all([
      this.members(organizationId),
      this.platformConfig.getPlatformConfig(organizationId),
      this.overrideCounts(organizationId),
      this.billing.generateInvoiceData(
        organizationId,
        { from: `${month}-01`, to: lastDayOfMonth(month) },
        "DRAFT",
        now,
      ),
      this.alerts.listAlerts(organizationId, { limit: RECENT_ALERTS }),
    ]);
    return {
      ...row!,
      billingEmail: base[0]!.billingEmail,
      members,
      features: config.features.map((f) => ({
        ...f,
        clientOverrides: overrides.get(f.id)?.overridden ?? 0,
        clientsSwitchedOff: overrides.get(f.id)?.switchedOff ?? 0,
      })),
      /** This month so far, as an invoice would bill it (not issued). */
      invoicePreview: {
        periodStart: preview.invoice.periodStart,
        periodEnd: preview.invoice.periodEnd,
        subtotalUsd: preview.invoice.totals.subtotal,
        totalUsd: preview.invoice.totals.total,
        pendingRequests: preview.pendingRequests,
      },
      recentAlerts: alerts.alerts,
    };
  }

  /**
   * The organizations' own columns with their client count and this month's spend (the month in
   * each organization's timezone, as admission and billing count it), filtered, sorted, one page.
   */
  private async baseRows(
    where: SQL | undefined,
    now: Date,
    page: Pick<OrganizationListQuery, "sort" | "direction" | "limit" | "offset">,
  ) {
    const month = await currentMonthSql(this.db, now, organizations.timezone);
    const counts = this.db
      .select({ organizationId: clients.organizationId, n: sql<number>`count(*)::int`.as("client_count") })
      .from(clients)
      .groupBy(clients.organizationId)
      .as("client_counts");
    const clientCount = sql<number>`coalesce(${counts.n}, 0)::int`;
    const spent = sql<string>`coalesce(${aiMonthlySpend.spentMicros}, 0)`;
    const name = sql`lower(${organizations.name})`;
    const sortKey = {
      name,
      tier: organizations.subscriptionTier,
      clients: clientCount,
      monthSpend: spent,
      createdAt: organizations.createdAt,
    }[page.sort];
    return (
      this.db
        .select({
          id: organizations.id,
          name: organizations.name,
          slug: organizations.slug,
          tier: organizations.subscriptionTier,
          timezone: organizations.timezone,
          billingEmail: organizations.billingEmail,
          monthlyCreditLimit: organizations.monthlyCreditLimit,
          createdAt: organizations.createdAt,
          clientCount,
          month,
          spentMicros: sql<string>`${spent}::text`,
          reservedMicros: sql<string>`coalesce(${aiMonthlySpend.reservedMicros}, 0)::text`,
        })
        .from(organizations)
        .leftJoin(counts, eq(counts.organizationId, organizations.id))
        .leftJoin(
          aiMonthlySpend,
          and(eq(aiMonthlySpend.organizationId, organizations.id), eq(aiMonthlySpend.month, month)),
        )
        .where(where)
        // Ties in name order, then by id, so pages never overlap or skip.
        .orderBy(page.direction === "asc" ? asc(sortKey) : desc(sortKey), asc(name), asc(organizations.id))
        .limit(page.limit)
        .offset(page.offset)
    );
  }

  /**
   * The rows callers see. What each row needs beyond the organization's own columns is read here
   * for the whole page at once, one query per kind (active alerts, active throttles), never per row.
   */
  private async rows(base: Awaited<ReturnType<AdminOrganizationService["baseRows"]>>, now: Date) {
    const ids = base.map((b) => b.id);
    const since = new Date(now.getTime() - ACTIVE_ALERT_WINDOW_MS);
    const alertCounts =
      ids.length === 0
        ? []
        : await this.db
            .select({ organizationId: aiAlerts.organizationId, n: sql<number>`count(*)::int` })
            .from(aiAlerts)
            .where(and(inArray(aiAlerts.organizationId, ids), gte(aiAlerts.createdAt, since)))
            .groupBy(aiAlerts.organizationId);
    const activeAlerts = new Map(alertCounts.map((a) => [a.organizationId, Number(a.n)]));
    const throttles = await this.throttles.activeForEach(ids, now);
    return base.map((b) => {
      const spent = BigInt(b.spentMicros);
      const used = spent + BigInt(b.reservedMicros);
      return {
        id: b.id,
        name: b.name,
        slug: b.slug,
        tier: b.tier,
        timezone: b.timezone,
        createdAt: b.createdAt,
        clientCount: Number(b.clientCount),
        /** Settled spend this month (the organization's month), exact. */
        monthSpendUsd: fromMicros(spent, 6),
        creditLimitUsd: b.monthlyCreditLimit,
        /** As billing.creditStatus: used = settled + held by requests in flight. */
        credit: {
          month: b.month,
          status: creditStatus(used, toMicros(b.monthlyCreditLimit)),
          usedUsd: fromMicros(used, 6),
          limitUsd: b.monthlyCreditLimit,
        },
        activeAlerts: activeAlerts.get(b.id) ?? 0,
        /** Emergency throttles reaching it now (its own, a feature's, the platform's), strictest first. */
        throttles: throttles.get(b.id) ?? [],
      };
    });
  }

  private members(organizationId: string) {
    return this.db
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        role: memberships.role,
        since: memberships.createdAt,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.organizationId, organizationId))
      .orderBy(asc(memberships.role), asc(sql`lower(${users.name})`), asc(users.id));
  }

  /** Per platform config: clients with any override, and clients that switched the feature off. */
  private async overrideCounts(organizationId: string) {
    const c = aiClientConfigs;
    const rows = await this.db
      .select({
        platformConfigId: c.platformConfigId,
        overridden: sql<number>`count(*) filter (where ${c.isEnabledOverride} is not null or ${c.maxRequestsPerDayOverride} is not null or ${c.maxCostPerDayOverride} is not null or ${c.rateLimitPerMinuteOverride} is not null)::int`,
        switchedOff: sql<number>`count(*) filter (where ${c.isEnabledOverride} = false)::int`,
      })
      .from(c)
      .innerJoin(aiPlatformConfigs, eq(aiPlatformConfigs.id, c.platformConfigId))
      .where(eq(aiPlatformConfigs.organizationId, organizationId))
      .groupBy(c.platformConfigId);
    return new Map(
      rows.map((r) => [
        r.platformConfigId,
        { overridden: Number(r.overridden), switchedOff: Number(r.switchedOff) },
      ]),
    );
  }
}
