import { date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { clientStatusEnum } from "./enums";
import { organizations } from "./organizations";

/** A supplier's client: one couple, one wedding. */
export const clients = pgTable(
  "clients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    coupleNames: text("couple_names").notNull(),
    weddingDate: date("wedding_date"),
    venue: text("venue"),
    status: clientStatusEnum("status").notNull().default("inquiry"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("clients_organization_idx").on(t.organizationId)],
);

export type Client = typeof clients.$inferSelect;
