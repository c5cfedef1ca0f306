import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import type { CustomPrompts, FeatureSettings, ProcessingPreferences } from "../domain/client-settings";
import { clients } from "./clients";
import { auditActionEnum, auditEntityKindEnum, featureTypeEnum } from "./enums";
import { apiKeys, users } from "./identity";
import { organizations } from "./organizations";

/** Platform-level AI configuration: one row per (organization, feature). */
export const aiPlatformConfigs = pgTable(
  "ai_platform_configs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    featureType: featureTypeEnum("feature_type").notNull(),
    isEnabled: boolean("is_enabled").notNull().default(true),
    maxRequestsPerDay: integer("max_requests_per_day").notNull().default(1000),
    maxCostPerDay: numeric("max_cost_per_day", { precision: 10, scale: 2 }).notNull().default("50.00"),
    priorityLevel: integer("priority_level").notNull().default(1),
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(60),
    model: text("model").notNull().default("gpt-4o-mini"),
    /** Optimistic concurrency: every update names the version it was based on. */
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ai_platform_configs_org_feature_unique").on(t.organizationId, t.featureType),
    check(
      "ai_platform_configs_limits_non_negative",
      sql`${t.maxRequestsPerDay} >= 0 AND ${t.maxCostPerDay} >= 0 AND ${t.rateLimitPerMinute} >= 0`,
    ),
  ],
);

/** Client-level (one wedding) configuration: overrides that may only tighten the platform's. */
export const aiClientConfigs = pgTable(
  "ai_client_configs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    platformConfigId: uuid("platform_config_id")
      .notNull()
      .references(() => aiPlatformConfigs.id, { onDelete: "cascade" }),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    featureSettings: jsonb("feature_settings").$type<FeatureSettings>().notNull().default({}),
    customPrompts: jsonb("custom_prompts").$type<CustomPrompts>().notNull().default({}),
    processingPreferences: jsonb("processing_preferences")
      .$type<ProcessingPreferences>()
      .notNull()
      .default({}),
    /** Null means "inherit the platform's value". */
    isEnabledOverride: boolean("is_enabled_override"),
    maxRequestsPerDayOverride: integer("max_requests_per_day_override"),
    maxCostPerDayOverride: numeric("max_cost_per_day_override", { precision: 10, scale: 2 }),
    rateLimitPerMinuteOverride: integer("rate_limit_per_minute_override"),
    version: integer("version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("ai_client_configs_platform_client_unique").on(t.platformConfigId, t.clientId),
    index("ai_client_configs_client_idx").on(t.clientId),
    check(
      "ai_client_configs_overrides_non_negative",
      sql`coalesce(${t.maxRequestsPerDayOverride}, 0) >= 0 AND coalesce(${t.maxCostPerDayOverride}, 0) >= 0 AND coalesce(${t.rateLimitPerMinuteOverride}, 0) >= 0`,
    ),
  ],
);

/** Every configuration change: who, what it was, what it became. Rollback reads it. */
export const aiConfigAudit = pgTable(
  "ai_config_audit",
  {
    /** Monotonic: realtime streams resume from it. */
    id: bigserial("id", { mode: "number" }).primaryKey(),
    entityKind: auditEntityKindEnum("entity_kind").notNull(),
    entityId: uuid("entity_id").notNull(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Set for client-config entries: a client's change stream resumes by it. */
    clientId: uuid("client_id").references(() => clients.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorApiKeyId: uuid("actor_api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    action: auditActionEnum("action").notNull(),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown>>().notNull(),
    version: integer("version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("ai_config_audit_org_created_idx").on(t.organizationId, t.createdAt),
    index("ai_config_audit_org_id_idx").on(t.organizationId, t.id),
    index("ai_config_audit_client_id_idx").on(t.clientId, t.id),
    index("ai_config_audit_entity_idx").on(t.entityId),
    index("ai_config_audit_actor_user_idx").on(t.actorUserId),
    index("ai_config_audit_actor_api_key_idx").on(t.actorApiKeyId),
  ],
);

export type PlatformConfigRow = typeof aiPlatformConfigs.$inferSelect;
export type ClientConfigRow = typeof aiClientConfigs.$inferSelect;
export type ConfigAuditRow = typeof aiConfigAudit.$inferSelect;
