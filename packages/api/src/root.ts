import type { AnyRouter } from "@trpc/server";
import { adminRouter } from "./routers/admin";
import { alertsRouter } from "./routers/alerts";
import { apiKeysRouter } from "./routers/api-keys";
import { authRouter } from "./routers/auth";
import { billingRouter } from "./routers/billing";
import { clientsRouter } from "./routers/clients";
import { jobsRouter } from "./routers/jobs";
import { modelPricesRouter } from "./routers/model-prices";
import { performanceRouter } from "./routers/performance";
import { platformRouter } from "./routers/platform";
import { referenceRouter } from "./routers/reference";
import { serviceLevelsRouter } from "./routers/service-levels";
import { throttlesRouter } from "./routers/throttles";
import { usageRouter } from "./routers/usage";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  apiKeys: apiKeysRouter,
  platform: platformRouter,
  clients: clientsRouter,
  jobs: jobsRouter,
  usage: usageRouter,
  billing: billingRouter,
  admin: adminRouter,
  performance: performanceRouter,
  alerts: alertsRouter,
  modelPrices: modelPricesRouter,
  serviceLevels: serviceLevelsRouter,
  throttles: throttlesRouter,
  reference: referenceRouter((): AnyRouter => appRouter),
});

export type AppRouter = typeof appRouter;
