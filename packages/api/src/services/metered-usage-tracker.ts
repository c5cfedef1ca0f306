import type { Database, ExecutePrepared } from "../infra/database";
import type { Logger } from "../infra/logger";
import type { Metrics } from "../infra/metrics";
import type { RateLimiter } from "../infra/rate-limiter";
import {
  type AdmissionOutcome,
  type AdmissionRequest,
  AIUsageTracker,
  type Rejection,
} from "./usage-tracker";

/**
 * The usage tracker, counting admissions and rejections for GET /metrics as this instance makes
 * them. Counted here rather than from the usage events, which every instance receives: summed
 * across instances, those would count each request once per instance.
 */
export class MeteredUsageTracker extends AIUsageTracker {
  constructor(
    db: Database,
    limiter: RateLimiter,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    executePrepared?: ExecutePrepared,
  ) {
    super(db, limiter, executePrepared);
  }

  protected override batchFellBack(err: unknown, requests: number): void {
    this.metrics.admissionBatchFallbacks.inc();
    this.logger.warn({ err, requests }, "admission batch failed; admitting its requests one by one");
  }

  override async logRequest(req: AdmissionRequest): Promise<AdmissionOutcome> {
    const outcome = await super.logRequest(req);
    this.metrics.admissions.inc({ outcome: outcome.outcome });
    if (outcome.outcome === "rejected") this.metrics.rejections.inc({ reason: outcome.reason });
    return outcome;
  }

  protected override wroteBatch(writer: "admission" | "completion" | "rejection", rows: number): void {
    this.metrics.usageWriteBatch.observe({ writer }, rows);
  }

  /** Turned away before the caps (disabled feature, tier, rate limit). */
  override logRejection(rejection: Rejection): Promise<void> {
    this.metrics.admissions.inc({ outcome: "rejected" });
    this.metrics.rejections.inc({ reason: rejection.reason });
    return super.logRejection(rejection);
  }
}
