import type { Database } from "../infra/database";
import type { Logger } from "../infra/logger";
import type { RateLimiter } from "../infra/rate-limiter";
import { createProviderChain, type ProviderOptions } from "../providers";
import { AIService } from "./ai-service";
import { AuthService, type AuthServiceOptions } from "./auth-service";
import { ClientConfigService } from "./client-config-service";
import { ConfigCache } from "./config-cache";
import { OrganizationService } from "./organization-service";
import { PlatformConfigService } from "./platform-config-service";
import { PriceBook } from "./price-book";
import { ProcessingService } from "./processing-service";
import { AIUsageTracker } from "./usage-tracker";

/** Everything with I/O, built once at start and handed to every request through the context. */
export interface Services {
  db: Database;
  logger: Logger;
  auth: AuthService;
  organizations: OrganizationService;
  platformConfig: PlatformConfigService;
  clientConfig: ClientConfigService;
  prices: PriceBook;
  configs: ConfigCache;
  tracker: AIUsageTracker;
  ai: AIService;
  processing: ProcessingService;
}

export function createServices(deps: {
  db: Database;
  logger: Logger;
  limiter: RateLimiter;
  auth: AuthServiceOptions;
  providers: ProviderOptions;
}): Services {
  const prices = new PriceBook(deps.db);
  const tracker = new AIUsageTracker(deps.db, deps.limiter);
  const chain = createProviderChain(deps.providers);
  const configs = new ConfigCache(deps.db);
  const ai = new AIService(chain.provider, prices, chain.primary);
  return {
    db: deps.db,
    logger: deps.logger,
    auth: new AuthService(deps.db, deps.limiter, deps.auth),
    organizations: new OrganizationService(deps.db),
    platformConfig: new PlatformConfigService(deps.db, configs, (model, at) => ai.modelProblem(model, at)),
    clientConfig: new ClientConfigService(deps.db, configs),
    configs,
    prices,
    tracker,
    ai,
    processing: new ProcessingService(deps.db, tracker, ai, configs),
  };
}
