import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { clients } from "./clients";
import { featureTypeEnum, usageStatusEnum } from "./enums";
import { users } from "./identity";
import { organizations } from "./organizations";

/** Orders completed and rejected usage rows for realtime streams (resume after the last seen). */
export const usageEventSeq = pgSequence("ai_usage_event_seq");

/** One row per AI request: written pending before the provider call, completed after. */
export const aiUsageLogs = pgTable(
  "ai_usage_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id").notNull().unique().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    clientId: uuid("client_id").references(() => clients.id, { onDelete: "set null" }),
    featureType: featureTypeEnum("feature_type").notNull(),
    requestSize: integer("request_size"),
    responseSize: integer("response_size"),
    processingTimeMs: integer("processing_time_ms"),
    /** Exact, rounded once to the micro-dollar when the row is completed. */
    costUsd: numeric("cost_usd", { precision: 12, scale: 6 }),
    success: boolean("success").notNull().default(false),
    errorMessage: text("error_message"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    model: text("model"),
    provider: text("provider"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    status: usageStatusEnum("status").notNull().default("pending"),
    rejectionReason: text("rejection_reason"),
    idempotencyKey: text("idempotency_key"),
    /** sha256 of the request body: the same key with a different body is a conflict. */
    requestHash: text("request_hash"),
    /** The cost reserved at admission (micro-dollars), released when the row is completed. */
    reservedMicros: bigint("reserved_micros", { mode: "bigint" }).notNull().default(sql`0`),
    /** The organization-timezone day whose caps this request counted against. */
    quotaDay: date("quota_day"),
    /** The feature's result, kept so an idempotent retry gets the same answer without a second call. */
    result: jsonb("result").$type<unknown>(),
    degraded: boolean("degraded").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** From ai_usage_event_seq when the row is completed or rejected; null while pending. */
    eventSeq: bigint("event_seq", { mode: "number" }),
  },
  (t) => [
    index("ai_usage_logs_org_created_idx").on(t.organizationId, t.createdAt),
    index("ai_usage_logs_org_event_seq_idx").on(t.organizationId, t.eventSeq),
    /** Small by nature (requests in flight): the abandoned-request sweep reads it every minute. */
    index("ai_usage_logs_pending_idx").on(t.createdAt).where(sql`status = 'pending'`),
    index("ai_usage_logs_client_idx").on(t.clientId),
    unique("ai_usage_logs_org_idempotency_unique").on(t.organizationId, t.idempotencyKey),
  ],
);

/** Public per-million-token prices; the row in force is the newest with effective_from <= the request. */
export const aiModelPrices = pgTable(
  "ai_model_prices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    inputPerMillion: numeric("input_per_million", { precision: 12, scale: 6 }).notNull(),
    outputPerMillion: numeric("output_per_million", { precision: 12, scale: 6 }).notNull(),
    cachedInputPerMillion: numeric("cached_input_per_million", { precision: 12, scale: 6 }).notNull(),
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    // The table is append-only, so these make it its own audit trail: who scheduled a price, when.
    // Null for the seeded prices.
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("ai_model_prices_provider_model_from_unique").on(t.provider, t.model, t.effectiveFrom)],
);

export type UsageLogRow = typeof aiUsageLogs.$inferSelect;
export type ModelPriceRow = typeof aiModelPrices.$inferSelect;

/**
 * Daily request and cost counters per organization and feature ("org" scope) and per client:
 * the source of truth for daily caps across instances, updated by atomic conditional upserts.
 */
export const aiDailyCounters = pgTable(
  "ai_daily_counters",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    featureType: featureTypeEnum("feature_type").notNull(),
    /** "org" for the organization-wide counter, or the client's id. */
    scope: text("scope").notNull(),
    day: date("day").notNull(),
    requests: integer("requests").notNull().default(0),
    reservedMicros: bigint("reserved_micros", { mode: "bigint" }).notNull().default(sql`0`),
    spentMicros: bigint("spent_micros", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.featureType, t.scope, t.day] }),
    /** The organization-wide rows only: a few per day, read for the seasonal history. */
    index("ai_daily_counters_org_day_idx").on(t.organizationId, t.day).where(sql`scope = 'org'`),
  ],
);

/** Spend per organization and month (its timezone), checked against the monthly credit limit. */
export const aiMonthlySpend = pgTable(
  "ai_monthly_spend",
  {
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** "2027-06" */
    month: text("month").notNull(),
    reservedMicros: bigint("reserved_micros", { mode: "bigint" }).notNull().default(sql`0`),
    spentMicros: bigint("spent_micros", { mode: "bigint" }).notNull().default(sql`0`),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.month] })],
);

export type DailyCounterRow = typeof aiDailyCounters.$inferSelect;

/**
 * The API instances alive now: each beats every few seconds and removes its row when it stops.
 * A pending usage row names its instance (metadata.instanceId); once that instance has stopped
 * beating, no one will complete the row, so any instance sweeps it and frees its reservation.
 */
export const aiInstances = pgTable("ai_instances", {
  id: uuid("id").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
});
