import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { THROTTLE_MODES, THROTTLE_SCOPES } from "../domain/throttle";
import { featureTypeEnum } from "./enums";
import { users } from "./identity";
import { organizations } from "./organizations";

export const throttleScopeEnum = pgEnum("ai_throttle_scope", THROTTLE_SCOPES);
export const throttleModeEnum = pgEnum("ai_throttle_mode", THROTTLE_MODES);

/**
 * Emergency throttles set by platform staff (domain/throttle.ts). Lifting one sets lifted_at and
 * keeps the row: the history stays. Expiry needs no write: a row past expires_at no longer applies.
 */
export const aiThrottles = pgTable(
  "ai_throttles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    scope: throttleScopeEnum("scope").notNull(),
    organizationId: uuid("organization_id").references(() => organizations.id, { onDelete: "cascade" }),
    featureType: featureTypeEnum("feature_type"),
    mode: throttleModeEnum("mode").notNull(),
    perMinute: integer("per_minute"),
    reason: text("reason").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    /** The staff member who set it (null once their account is removed; the audit keeps the id). */
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    liftedAt: timestamp("lifted_at", { withTimezone: true }),
    liftedBy: uuid("lifted_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    // Every instance reloads the ones not lifted every few seconds: a small, partial index.
    index("ai_throttles_not_lifted_idx").on(t.createdAt).where(sql`${t.liftedAt} is null`),
    index("ai_throttles_created_idx").on(t.createdAt, t.id),
    index("ai_throttles_organization_idx").on(t.organizationId),
    check(
      "ai_throttles_scope_fields",
      sql`(${t.scope} = 'organization') = (${t.organizationId} is not null) AND (${t.scope} = 'feature') = (${t.featureType} is not null)`,
    ),
    check(
      "ai_throttles_mode_fields",
      sql`(${t.mode} = 'cap') = (${t.perMinute} is not null) AND coalesce(${t.perMinute}, 1) > 0`,
    ),
  ],
);

export type ThrottleRow = typeof aiThrottles.$inferSelect;
