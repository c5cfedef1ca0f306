import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { featureTypeEnum } from "./enums";
import { users } from "./identity";
import { organizations } from "./organizations";

const zero = sql`0`;

/**
 * The counters every usage rollup carries, whatever its grain. Completions add to requests,
 * succeeded/failed/degraded, tokens, cost and time; rejections to rejected and their reason.
 */
function usageCounters() {
  return {
    /** Completed requests (succeeded + failed): the billed ones. */
    requests: integer("requests").notNull().default(0),
    succeeded: integer("succeeded").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    degraded: integer("degraded").notNull().default(0),
    rejected: integer("rejected").notNull().default(0),
    rejectedFeatureDisabled: integer("rejected_feature_disabled").notNull().default(0),
    rejectedTier: integer("rejected_tier").notNull().default(0),
    rejectedRateLimited: integer("rejected_rate_limited").notNull().default(0),
    rejectedDailyRequestCap: integer("rejected_daily_request_cap").notNull().default(0),
    rejectedDailyCostCap: integer("rejected_daily_cost_cap").notNull().default(0),
    rejectedCreditLimit: integer("rejected_credit_limit").notNull().default(0),
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(zero),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(zero),
    cachedInputTokens: bigint("cached_input_tokens", { mode: "number" }).notNull().default(zero),
    /** Sum of the rows' stored costs (each already rounded to the micro-dollar). */
    costMicros: bigint("cost_micros", { mode: "bigint" }).notNull().default(zero),
    processingMsTotal: bigint("processing_ms_total", { mode: "number" }).notNull().default(zero),
  };
}

/**
 * One row per organization, client, feature, model and day (the organization's timezone),
 * maintained in the same statement that completes or rejects usage rows: dashboards and bills
 * read these, never the raw log. Null client / model are ordinary keys (NULLS NOT DISTINCT).
 */
export const aiUsageDailyRollups = pgTable(
  "ai_usage_daily_rollups",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** No foreign key: the history stays if a client goes (and set-null would merge key rows). */
    clientId: uuid("client_id"),
    featureType: featureTypeEnum("feature_type").notNull(),
    model: text("model"),
    day: date("day").notNull(),
    ...usageCounters(),
  },
  (t) => [
    unique("ai_usage_daily_rollups_key")
      .on(t.organizationId, t.clientId, t.featureType, t.model, t.day)
      .nullsNotDistinct(),
    index("ai_usage_daily_rollups_org_day_idx").on(t.organizationId, t.day),
  ],
);

/*
 * Coarser rollups, written in the same statements as the daily one, so that organization-wide
 * figures are never summed from client-level rows: a busy organization has hundreds of clients,
 * and a year of its client-level rows is ~600k rows where the organization-level ones are ~2k
 * (docs/benchmarks.md, analytics). Their keys lead with (organization, period): the dashboards'
 * range scans.
 */

/**
 * One row per organization, day, feature, provider, model and price segment: totals, by feature,
 * by model, by day, trends, and invoice lines (one per feature, provider, model and price in force).
 */
export const aiUsageOrgDailyRollups = pgTable(
  "ai_usage_org_daily_rollups",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    featureType: featureTypeEnum("feature_type").notNull(),
    provider: text("provider"),
    model: text("model"),
    /**
     * When the price segment the requests were made in began: the latest instant at which any
     * price took effect, not after the request (core's priceChangeInstants). Within a segment
     * every request of a model was charged one price, so an invoice line is a sum of these rows.
     * Null before any price existed.
     */
    priceSegmentFrom: timestamp("price_segment_from", { withTimezone: true }),
    ...usageCounters(),
  },
  (t) => [
    unique("ai_usage_org_daily_rollups_key")
      .on(t.organizationId, t.day, t.featureType, t.provider, t.model, t.priceSegmentFrom)
      .nullsNotDistinct(),
  ],
);

/** One row per organization, client and month (its first day): the per-client breakdown over whole months. */
export const aiUsageClientMonthlyRollups = pgTable(
  "ai_usage_client_monthly_rollups",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    month: date("month").notNull(),
    clientId: uuid("client_id"),
    ...usageCounters(),
  },
  (t) => [
    unique("ai_usage_client_monthly_rollups_key")
      .on(t.organizationId, t.month, t.clientId)
      .nullsNotDistinct(),
  ],
);

/**
 * Processing-time histogram per organization, feature and day: counts per logarithmic bucket
 * (core's latency-sketch, 2% relative accuracy), merged by summing, so any period's percentiles
 * come from a few hundred rows.
 */
export const aiUsageLatencyRollups = pgTable(
  "ai_usage_latency_rollups",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    featureType: featureTypeEnum("feature_type").notNull(),
    day: date("day").notNull(),
    bucket: smallint("bucket").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.featureType, t.day, t.bucket] })],
);

/** The same histogram per month (its first day), for the whole months of long periods. */
export const aiUsageLatencyMonthlyRollups = pgTable(
  "ai_usage_latency_monthly_rollups",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    month: date("month").notNull(),
    featureType: featureTypeEnum("feature_type").notNull(),
    bucket: smallint("bucket").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.month, t.featureType, t.bucket] })],
);

/** Issued invoices: numbered per organization, immutable once written (a trigger refuses changes). */
export const aiInvoices = pgTable(
  "ai_invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    sequence: integer("sequence").notNull(),
    number: text("number").notNull(),
    /** The billed period: [periodStart, periodEnd) in the organization's timezone. */
    periodStart: date("period_start").notNull(),
    periodEnd: date("period_end").notNull(),
    currency: text("currency").notNull().default("USD"),
    subtotalMicros: bigint("subtotal_micros", { mode: "bigint" }).notNull(),
    /** Rounded once, half-up, to the cent. */
    totalCents: bigint("total_cents", { mode: "bigint" }).notNull(),
    /** The invoice as issued (lines, unit prices, names): exports are rendered from this alone. */
    document: jsonb("document").$type<Record<string, unknown>>().notNull(),
    issuedBy: uuid("issued_by").references(() => users.id, { onDelete: "set null" }),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ai_invoices_org_sequence_unique").on(t.organizationId, t.sequence),
    unique("ai_invoices_number_unique").on(t.number),
    unique("ai_invoices_org_period_unique").on(t.organizationId, t.periodStart, t.periodEnd),
  ],
);

/** What every API metrics row counts, per endpoint and hour. */
function apiMetricCounters() {
  return {
    requests: integer("requests").notNull().default(0),
    clientErrors: integer("client_errors").notNull().default(0),
    serverErrors: integer("server_errors").notNull().default(0),
    durationMsTotal: bigint("duration_ms_total", { mode: "number" }).notNull().default(zero),
    dbMsTotal: bigint("db_ms_total", { mode: "number" }).notNull().default(zero),
    /** Latency histogram: bucket index (core's latency-sketch) → count. */
    buckets: jsonb("buckets").$type<Record<string, number>>().notNull().default({}),
  };
}

/** API response times per organization (null: unauthenticated), endpoint and hour, written in batches off the request path. */
export const aiApiMetrics = pgTable(
  "ai_api_metrics",
  {
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    ...apiMetricCounters(),
  },
  (t) => [
    unique("ai_api_metrics_key").on(t.organizationId, t.endpoint, t.hour).nullsNotDistinct(),
    index("ai_api_metrics_hour_idx").on(t.hour),
  ],
);

/**
 * The same per endpoint and hour, every organization together, written in the same statement:
 * the platform-wide SLA over a month reads endpoints × hours rows, not organizations × endpoints × hours.
 */
export const aiApiMetricsPlatform = pgTable(
  "ai_api_metrics_platform",
  {
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    endpoint: text("endpoint").notNull(),
    ...apiMetricCounters(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.endpoint] })],
);

export const ALERT_KINDS = ["daily_cost", "monthly_cost", "error_rate", "p95_latency"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const alertKindEnum = pgEnum("ai_alert_kind", ALERT_KINDS);

/** What an organization wants to be told about, and where (an optional signed webhook). */
export const aiAlertRules = pgTable(
  "ai_alert_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kind: alertKindEnum("kind").notNull(),
    /** Cost rules: percentages of the cap (e.g. [50, 80, 100]); error_rate: percent; p95_latency: ms. */
    thresholds: integer("thresholds").array().notNull(),
    webhookUrl: text("webhook_url"),
    /** HMAC-SHA256 key for the webhook's signature header. */
    webhookSecret: text("webhook_secret"),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  // One rule per kind: the service checks it under a lock, the database guarantees it.
  (t) => [unique("ai_alert_rules_org_kind_unique").on(t.organizationId, t.kind)],
);

/** One row per crossing: the unique key makes a second firing for the same crossing a no-op. */
export const aiAlerts = pgTable(
  "ai_alerts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id").references(() => aiAlertRules.id, { onDelete: "set null" }),
    kind: alertKindEnum("kind").notNull(),
    threshold: integer("threshold").notNull(),
    /** The period the crossing belongs to: a day, a month, or an evaluation window. */
    period: text("period").notNull(),
    /** The measured value, as text (an exact amount, a rate, ms). */
    value: text("value").notNull(),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Webhook delivery: attempts so far, when it succeeded, the last error. */
    deliveryAttempts: smallint("delivery_attempts").notNull().default(0),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    deliveryError: text("delivery_error"),
    /**
     * When the webhook's next attempt is due (while one runs: when its claim lapses); null when
     * nothing is left to send (delivered, given up, or no webhook). Any instance sends what is due,
     * so a retry outlives the instance that scheduled it.
     */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
  },
  (t) => [
    unique("ai_alerts_crossing_unique").on(t.organizationId, t.kind, t.threshold, t.period),
    index("ai_alerts_org_id_idx").on(t.organizationId, t.id),
    index("ai_alerts_due_idx").on(t.nextAttemptAt).where(sql`next_attempt_at is not null`),
  ],
);

export type UsageDailyRollupRow = typeof aiUsageDailyRollups.$inferSelect;
export type InvoiceRow = typeof aiInvoices.$inferSelect;
export type AlertRuleRow = typeof aiAlertRules.$inferSelect;
export type AlertRow = typeof aiAlerts.$inferSelect;
