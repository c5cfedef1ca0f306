import type { Database } from "../infra/database";
import type { Logger } from "../infra/logger";
import type { RateLimiter } from "../infra/rate-limiter";
import { AuthService, type AuthServiceOptions } from "./auth-service";
import { ClientConfigService } from "./client-config-service";
import { OrganizationService } from "./organization-service";
import { PlatformConfigService } from "./platform-config-service";

/** Everything with I/O, built once at start and handed to every request through the context. */
export interface Services {
  db: Database;
  logger: Logger;
  auth: AuthService;
  organizations: OrganizationService;
  platformConfig: PlatformConfigService;
  clientConfig: ClientConfigService;
}

export function createServices(deps: {
  db: Database;
  logger: Logger;
  limiter: RateLimiter;
  auth: AuthServiceOptions;
}): Services {
  return {
    db: deps.db,
    logger: deps.logger,
    auth: new AuthService(deps.db, deps.limiter, deps.auth),
    organizations: new OrganizationService(deps.db),
    platformConfig: new PlatformConfigService(deps.db),
    clientConfig: new ClientConfigService(deps.db),
  };
}
