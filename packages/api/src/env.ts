import { z } from "zod";
import {
  DEFAULT_LOCAL_CONCURRENCY,
  DEFAULT_PROVIDER_CONCURRENCY,
  DEFAULT_QUEUE_MAX_WAIT_MS,
} from "./providers/provider-gate";

/** The one place process.env is read. Everything else receives these values. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./.data"),
  DATABASE_URL: z.string().url().optional(),
  /** A read replica for analytics queries; the primary when unset. */
  DATABASE_READ_URL: z.string().url().optional(),
  /** A direct connection for LISTEN when DATABASE_URL goes through PgBouncer (transaction mode). */
  DATABASE_LISTEN_URL: z.string().url().optional(),
  /** postgres.js connections per instance. */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  /**
   * Admission and completion as named prepared statements (parsed and planned once per
   * connection). Through PgBouncer in transaction mode: PgBouncer 1.21+ with
   * max_prepared_statements set, or "false".
   */
  DATABASE_PREPARED_STATEMENTS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** In-process effective-config cache lifetime; change events invalidate it sooner. */
  CONFIG_CACHE_TTL_MS: z.coerce.number().int().min(1).default(60_000),
  /** Where the built supplier app is (default apps/web/dist): a test run can serve a build of its own. */
  WEB_DIST: z.string().min(1).optional(),
  /** Where the built admin app is (default apps/admin/dist): a test run can serve a build of its own. */
  ADMIN_DIST: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Seed demo organizations, users and an API key when the database is empty. */
  SEED_DEMO: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** Set when a TLS-terminating proxy sits in front: trust X-Forwarded-Proto / -For. */
  TRUST_PROXY: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** An OpenAI-compatible provider; without a key the local rules engine serves every request. */
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  AI_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /**
   * Concurrent calls to the OpenAI-compatible provider; more wait in a priority queue. Size it
   * to your rate limit: requests per second allowed × typical call time (see provider-gate.ts).
   */
  AI_PROVIDER_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_PROVIDER_CONCURRENCY),
  /** Concurrent calls to the local rules engine (in process; only memory bounds it). */
  AI_LOCAL_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_LOCAL_CONCURRENCY),
  /** How long a request waits for a provider slot before SERVICE_UNAVAILABLE (not billed). */
  AI_QUEUE_MAX_WAIT_MS: z.coerce.number().int().min(10).max(600_000).default(DEFAULT_QUEUE_MAX_WAIT_MS),
  /** Rate limits shared across instances (Upstash, or the REST proxy over Redis in tooling/). */
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  /** Let alert webhooks reach loopback and private addresses (a receiver inside your own network). */
  ALERT_WEBHOOK_ALLOW_PRIVATE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** Run background jobs on this instance ("false": it only enqueues them; others run them). */
  JOBS_WORK: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** The job queue's name: instances on one database with the same name run each other's jobs. */
  JOBS_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, "letters, digits and . _ - only (at most 100)")
    .default("process-document"),
  /** Background jobs run at once per instance. */
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Seconds between polls of an idle job worker (pg-boss: at least 0.5). */
  JOBS_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  /** How often one instance expires jobs whose instance died (and archives finished ones). */
  JOBS_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /**
   * A job running longer is taken for dead (its instance crashed) and run again by another: above
   * the longest provider call, retries and fallback included (AI_TIMEOUT_MS per attempt).
   */
  JOBS_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Runs after the first for retryable provider failures, with exponential backoff from JOBS_RETRY_DELAY_SECONDS. */
  JOBS_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(4),
  JOBS_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3_600).default(5),
  LOGIN_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(10),
  LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(100),
  /**
   * This process's name among several (set by a supervisor such as tooling/cluster): sent back as
   * `x-wedsync-instance` on /healthz, so the supervisor can tell its own process answered.
   */
  WEDSYNC_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, "letters, digits and . _ : - only (at most 128)")
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

const bothOrNeither = (env: Env) =>
  Boolean(env.UPSTASH_REDIS_REST_URL) === Boolean(env.UPSTASH_REDIS_REST_TOKEN);

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (parsed.success && !bothOrNeither(parsed.data)) {
    throw new Error(
      "invalid environment: set both UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN, or neither",
    );
  }
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid environment: ${problems}`);
  }
  return parsed.data;
}
