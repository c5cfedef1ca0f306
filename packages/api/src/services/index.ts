import type { Database, ExecutePrepared } from "../infra/database";
import { EventBus } from "../infra/event-bus";
import type { Logger } from "../infra/logger";
import type { Metrics } from "../infra/metrics";
import type { RateLimiter } from "../infra/rate-limiter";
import type { SharedConfigCache } from "../infra/shared-config-cache";
import { createProviderChain, type ProviderOptions } from "../providers";
import { AdminAuditService } from "./admin-audit";
import { AdminBulkService } from "./admin-bulk";
import { AdminInvoiceService } from "./admin-invoices";
import { AdminOrganizationService } from "./admin-organizations";
import { AIService } from "./ai-service";
import { AlertService, type AlertServiceOptions } from "./alert-service";
import { AnalyticsService } from "./analytics-service";
import { AuthService, type AuthServiceOptions } from "./auth-service";
import { AIBillingService } from "./billing-service";
import { ClientConfigService } from "./client-config-service";
import { ConfigCache } from "./config-cache";
import { JobService, type JobServiceOptions } from "./job-service";
import { MeteredUsageTracker } from "./metered-usage-tracker";
import { ModelPriceService } from "./model-price-service";
import { OrganizationService } from "./organization-service";
import { AIPerformanceMonitor, type PerformanceMonitorOptions } from "./performance-monitor";
import { PlatformConfigService } from "./platform-config-service";
import { PriceBook } from "./price-book";
import { ProcessingService } from "./processing-service";
import { RateLimitStatusService } from "./rate-limit-status";
import { RealtimeService } from "./realtime-service";
import { timeDatabaseQueries } from "./request-observation";
import { ServiceLevelsService } from "./service-levels";
import { ThrottleService } from "./throttle-service";
import type { AIUsageTracker } from "./usage-tracker";

/** Everything with I/O, built once at start and handed to every request through the context. */
export interface Services {
  db: Database;
  /** A read replica for analytics (DATABASE_READ_URL), or the primary. */
  readDb: Database;
  logger: Logger;
  metrics: Metrics;
  events: EventBus;
  realtime: RealtimeService;
  auth: AuthService;
  organizations: OrganizationService;
  platformConfig: PlatformConfigService;
  clientConfig: ClientConfigService;
  prices: PriceBook;
  /** Platform staff: the price table with its history, new prices scheduled ahead, previews. */
  modelPrices: ModelPriceService;
  configs: ConfigCache;
  tracker: AIUsageTracker;
  ai: AIService;
  processing: ProcessingService;
  /** Background jobs for heavy documents (pg-boss on the platform's database); started by server.ts. */
  jobs: JobService;
  /** Where each feature's rate limit stands, read without using it (API screen). */
  rateLimits: RateLimitStatusService;
  analytics: AnalyticsService;
  billing: AIBillingService;
  performance: AIPerformanceMonitor;
  /** Platform staff: SLA, percentiles and error rates by endpoint and organization, provider health. */
  serviceLevels: ServiceLevelsService;
  alerts: AlertService;
  /** Emergency throttles (staff), checked first in admission from a copy every instance keeps. */
  throttles: ThrottleService;
  /** Platform staff: organizations across the platform, changes across them, audit, invoices. */
  adminOrganizations: AdminOrganizationService;
  adminBulk: AdminBulkService;
  adminAudit: AdminAuditService;
  adminInvoices: AdminInvoiceService;
}

export function createServices(deps: {
  db: Database;
  /** Prepared statements for the hot path (the database handle's); db.execute when absent. */
  executePrepared?: ExecutePrepared;
  readDb?: Database;
  logger: Logger;
  metrics: Metrics;
  configCache?: { ttlMs?: number; shared?: SharedConfigCache | undefined };
  limiter: RateLimiter;
  auth: AuthServiceOptions;
  providers: ProviderOptions;
  performance?: PerformanceMonitorOptions;
  alerts?: AlertServiceOptions;
  jobs?: Partial<JobServiceOptions>;
}): Services {
  const prices = new PriceBook(deps.db);
  const tracker: AIUsageTracker = new MeteredUsageTracker(
    deps.db,
    deps.limiter,
    deps.metrics,
    deps.logger,
    deps.executePrepared,
  );
  const chain = createProviderChain(deps.providers, deps.metrics.providerQueue);
  const events = new EventBus(deps.logger, deps.metrics.eventBus);
  prices.attach(events, deps.logger);
  const configs = new ConfigCache(deps.db, {
    ...deps.configCache,
    metrics: deps.metrics,
    logger: deps.logger,
  });
  configs.attach(events);
  const ai = new AIService(chain.provider, prices, chain.primary);
  const readDb = deps.readDb ?? deps.db;
  const analytics = new AnalyticsService(readDb);
  deps.metrics.observeProviders(() => ai.checkServiceHealth());
  deps.metrics.observeProviderQueues(() => chain.provider.queues());
  // Query timing for the performance monitor (only inside requests; see request-observation.ts).
  if (deps.performance?.databaseTiming !== false) {
    timeDatabaseQueries(deps.db);
    if (readDb !== deps.db) timeDatabaseQueries(readDb);
  }
  const alerts = new AlertService(deps.db, deps.metrics, deps.logger, deps.alerts);
  alerts.attach(events);
  const throttles = new ThrottleService(deps.db, deps.limiter, deps.logger);
  throttles.attach(events);
  const modelProblem = (model: string, at: Date) => ai.modelProblem(model, at);
  const platformConfig = new PlatformConfigService(deps.db, configs, modelProblem);
  const billing = new AIBillingService(deps.db, readDb, analytics, tracker);
  const processing = new ProcessingService(deps.db, tracker, ai, configs, throttles);
  return {
    db: deps.db,
    readDb,
    logger: deps.logger,
    metrics: deps.metrics,
    events,
    realtime: new RealtimeService(deps.db, events),
    auth: new AuthService(deps.db, deps.limiter, deps.auth),
    organizations: new OrganizationService(deps.db),
    platformConfig,
    clientConfig: new ClientConfigService(deps.db, configs),
    configs,
    prices,
    modelPrices: new ModelPriceService(deps.db, prices, deps.logger, () =>
      ai.checkServiceHealth().map((h) => h.name),
    ),
    tracker,
    ai,
    processing,
    jobs: new JobService(deps.db, processing, tracker, deps.logger, deps.jobs),
    rateLimits: new RateLimitStatusService(deps.limiter, configs),
    analytics,
    billing,
    performance: new AIPerformanceMonitor(
      deps.db,
      readDb,
      analytics,
      deps.metrics,
      deps.logger,
      deps.performance,
    ),
    serviceLevels: new ServiceLevelsService(readDb, deps.metrics, () => ai.checkServiceHealth()),
    alerts,
    throttles,
    adminOrganizations: new AdminOrganizationService(deps.db, platformConfig, billing, alerts, throttles),
    adminBulk: new AdminBulkService(deps.db, platformConfig, modelProblem),
    adminAudit: new AdminAuditService(deps.db),
    adminInvoices: new AdminInvoiceService(deps.db),
  };
}
