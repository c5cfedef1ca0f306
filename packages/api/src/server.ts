import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp, DEFAULT_ADMIN_DIST, DEFAULT_WEB_DIST } from "./app";
import { type DatabaseHandle, openDatabase } from "./infra/database";
import { createLogger } from "./infra/logger";
import { createMetrics } from "./infra/metrics";
import { UpstashSharedConfigCache } from "./infra/shared-config-cache";
import { createRateLimiter } from "./infra/upstash-rate-limiter";
import type { ProviderOptions } from "./providers";
import { ensureModelPrices } from "./seed/model-prices";
import { createServices, type Services } from "./services";
import type { AlertServiceOptions } from "./services/alert-service";
import type { JobServiceOptions } from "./services/job-service";
import type { PerformanceMonitorOptions } from "./services/performance-monitor";

export interface ServerOptions {
  port?: number;
  host?: string;
  databaseUrl?: string | undefined;
  /** A read replica for analytics; the primary when absent. */
  databaseReadUrl?: string | undefined;
  /** A direct (not pooled) connection for LISTEN; databaseUrl when absent. */
  databaseListenUrl?: string | undefined;
  /** postgres.js pool size (default 10). */
  databasePoolMax?: number;
  /** Named prepared statements for the hot path (default true; see DATABASE_PREPARED_STATEMENTS). */
  databasePreparedStatements?: boolean;
  /** In-process effective-config cache lifetime (default 60 s); change events invalidate sooner. */
  configCacheTtlMs?: number;
  /** PGlite folder, or "memory://" (the default) for a throwaway database. */
  dataDir?: string;
  logLevel?: string;
  trustProxy?: boolean;
  loginLimitPerEmail?: number;
  loginLimitPerIp?: number;
  /** Serve the built web apps (default true). */
  serveApps?: boolean;
  /** The built supplier app to serve at "/" (default apps/web/dist). */
  webDist?: string;
  /** The built admin app to serve at "/admin/" (default apps/admin/dist). */
  adminDist?: string | undefined;
  /** AI providers: an OpenAI-compatible endpoint (else the local rules engine), timeouts, retries, breaker. */
  providers?: ProviderOptions;
  /** Upstash REST endpoint for rate limits shared across instances (else in-process). */
  upstash?: { url: string; token: string } | undefined;
  /** API response times: how often they are written, and whether database time is measured per request. */
  performance?: PerformanceMonitorOptions;
  /** Alert evaluation (debounce, minimum requests for rate rules) and webhook retries. */
  alerts?: AlertServiceOptions;
  /** This instance's name among several, sent as `x-wedsync-instance` on /healthz (WEDSYNC_INSTANCE_ID). */
  instanceId?: string | undefined;
  /** Background jobs: whether this instance runs them, how many at once, retries, expiry (services/job-service.ts). */
  jobs?: Partial<JobServiceOptions>;
}

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, and serves the API and apps. Used by main.ts and by tests. */
export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const logger = createLogger(opts.logLevel ?? "info");
  const database = await openDatabase({
    url: opts.databaseUrl,
    dataDir: opts.dataDir ?? "memory://",
    listenUrl: opts.databaseListenUrl,
    ...(opts.databasePoolMax && { maxConnections: opts.databasePoolMax }),
    ...(opts.databasePreparedStatements !== undefined && {
      preparedStatements: opts.databasePreparedStatements,
    }),
  });
  await database.migrate();
  await ensureModelPrices(database.db);
  const replica = opts.databaseReadUrl
    ? await openDatabase({ url: opts.databaseReadUrl, maxConnections: opts.databasePoolMax ?? 10 })
    : null;
  const configCacheTtlMs = opts.configCacheTtlMs ?? 60_000;
  const services = createServices({
    db: database.db,
    executePrepared: database.executePrepared,
    ...(replica && { readDb: replica.db }),
    logger,
    metrics: createMetrics(),
    configCache: {
      ttlMs: configCacheTtlMs,
      shared: opts.upstash && new UpstashSharedConfigCache({ ...opts.upstash, ttlMs: configCacheTtlMs }),
    },
    limiter: createRateLimiter({
      UPSTASH_REDIS_REST_URL: opts.upstash?.url,
      UPSTASH_REDIS_REST_TOKEN: opts.upstash?.token,
    }),
    providers: opts.providers ?? {},
    auth: { loginLimitPerEmail: opts.loginLimitPerEmail ?? 10, loginLimitPerIp: opts.loginLimitPerIp ?? 100 },
    ...(opts.performance && { performance: opts.performance }),
    ...(opts.alerts && { alerts: opts.alerts }),
    jobs: { runner: opts.instanceId, ...opts.jobs },
  });
  // Listen before serving: a change made after the first request must reach this instance's caches.
  await services.events.start(database);
  // The queue and its workers: jobs queued before a restart are taken up again here.
  await services.jobs.start(database);
  services.performance.start();
  // Alive before serving: no other instance may take this one's first requests for abandoned.
  await services.tracker.beat();
  const stopReaper = services.tracker.startReaper({}, (err) =>
    logger.warn({ err }, "heartbeat or sweep of abandoned requests failed"),
  );
  const serveApps = opts.serveApps ?? true;
  const app = createApp(services, {
    trustProxy: opts.trustProxy ?? false,
    webDist: serveApps ? (opts.webDist ?? DEFAULT_WEB_DIST) : undefined,
    adminDist: serveApps ? (opts.adminDist ?? DEFAULT_ADMIN_DIST) : undefined,
    databaseTiming: opts.performance?.databaseTiming,
    instanceId: opts.instanceId,
  });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: opts.host ?? "127.0.0.1" }, () =>
      resolve(s),
    );
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host && opts.host !== "0.0.0.0" ? opts.host : "127.0.0.1";
  return {
    url: `http://${host}:${port}`,
    port,
    services,
    database,
    close: async () => {
      // Stop taking requests, let the admitted ones finish (their callers may be gone, but their
      // usage rows must not stay pending), write what is queued, then close the database.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      services.events.endStreams(); // open subscriptions end; their clients reconnect elsewhere
      services.jobs.endStreams();
      stopReaper();
      // No new jobs here; running ones finish, or go back to the queue with their rows pending.
      await services.jobs.stop();
      await services.processing.idle(15_000);
      await services.tracker.drain();
      await services.tracker
        .retire()
        .catch((err) => logger.warn({ err }, "leaving the instance list failed"));
      await closed;
      await services.performance.close(); // the last responses' figures
      await services.alerts.stop();
      await services.events.stop();
      await replica?.close();
      await database.close();
    },
  };
}
export { JOBS_INSTANCE_ID } from "./services/usage-tracker";
