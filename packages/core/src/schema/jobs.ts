import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { JOB_STATUSES } from "../domain/background-jobs";
import { clients } from "./clients";
import { featureTypeEnum } from "./enums";
import { apiKeys, users } from "./identity";
import { organizations } from "./organizations";

export const jobStatusEnum = pgEnum("ai_job_status", JOB_STATUSES);

/**
 * Background jobs for heavy documents, as the product shows them (jobs.get / list / cancel /
 * onProgress): owned by an organization, tied to the one usage row admission wrote at enqueue
 * (request_id). The queue itself (delivery, retries with backoff, expiry of a job whose instance
 * died) is pg-boss's, in its own schema; this table is the tenancy, the progress and the answer.
 */
export const aiJobs = pgTable(
  "ai_jobs",
  {
    /** Also the pg-boss job's id. */
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    clientId: uuid("client_id").references(() => clients.id, { onDelete: "set null" }),
    featureType: featureTypeEnum("feature_type").notNull(),
    status: jobStatusEnum("status").notNull().default("queued"),
    /** 0..100. */
    progress: smallint("progress").notNull().default(0),
    /** The usage row admitted at enqueue: completed exactly once, by the job or its cancellation. */
    requestId: uuid("request_id").notNull().unique(),
    /** What the provider takes (a PDF already turned into text); cleared once the job has finished. */
    input: jsonb("input").$type<unknown>(),
    /** What admission decided (configuration, output budget, instructions, what remained), to run it as admitted. */
    admission: jsonb("admission").$type<unknown>().notNull(),
    /** The answer once succeeded: the shape clients.process returns. */
    result: jsonb("result").$type<unknown>(),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** Runs started (retries and re-runs after a crash included). */
    attempts: integer("attempts").notNull().default(0),
    /** Which instance ran it last (WEDSYNC_INSTANCE_ID, else its process id): for operators. */
    runner: text("runner"),
    /** Set by jobs.cancel on a running job: the instance running it aborts the provider call. */
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true }),
    /** Bumped on every change: the id of onProgress events, so a reconnecting subscriber resumes. */
    version: integer("version").notNull().default(1),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    createdByApiKeyId: uuid("created_by_api_key_id").references(() => apiKeys.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [
    // jobs.list: an organization's newest first, optionally by status or client.
    index("ai_jobs_organization_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("ai_jobs_organization_status_idx").on(t.organizationId, t.status, t.createdAt),
    index("ai_jobs_client_idx").on(t.clientId, t.createdAt),
    check("ai_jobs_progress_range", sql`${t.progress} between 0 and 100`),
  ],
);

export type JobRow = typeof aiJobs.$inferSelect;
