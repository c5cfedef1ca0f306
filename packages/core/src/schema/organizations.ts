import { numeric, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { subscriptionTierEnum } from "./enums";

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  subscriptionTier: subscriptionTierEnum("subscription_tier").notNull().default("free"),
  /** Exact decimal dollars, returned by the driver as a string. */
  monthlyCreditLimit: numeric("monthly_credit_limit", { precision: 12, scale: 2 })
    .notNull()
    .default("100.00"),
  billingEmail: text("billing_email").notNull(),
  /** IANA timezone: daily caps and rollups count days in it. */
  timezone: text("timezone").notNull().default("UTC"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export type Organization = typeof organizations.$inferSelect;
