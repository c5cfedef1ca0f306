import { AppError, configRejection, FEATURE_TYPES, type FeatureType } from "@wedsync/core";
import type { RateLimiter } from "../infra/rate-limiter";
import type { ConfigCache } from "./config-cache";
// The key and window admission counts under, from their one home: the status read here is the
// count admission will see.
import { RATE_LIMIT_WINDOW_MS, rateLimitKey } from "./usage-tracker";

export interface FeatureRateLimit {
  featureType: FeatureType;
  /** The organization's limit per minute (platform configuration). */
  limitPerMinute: number;
  /** Requests that would still be admitted now. */
  remaining: number;
  /** When a counted request next leaves the window (a slot frees up); null when none is counted. */
  resetAt: string | null;
  /** The same, in milliseconds from `checkedAt` (immune to the caller's clock). */
  resetsInMs: number | null;
  /** Why requests of the feature are refused whatever the rate (not in the tier, switched off), or null. */
  refusedBecause: "tier" | "feature_disabled" | null;
}

export class RateLimitStatusService {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly configs: ConfigCache,
  ) {}

  /** Each feature's organization-wide rate limit and what is left of it, without using any of it. */
  async organization(
    organizationId: string,
  ): Promise<{ checkedAt: string; windowSeconds: number; features: FeatureRateLimit[] }> {
    const now = Date.now();
    const features = await Promise.all(FEATURE_TYPES.map((f) => this.feature(organizationId, f, now)));
    return { checkedAt: new Date(now).toISOString(), windowSeconds: RATE_LIMIT_WINDOW_MS / 1000, features };
  }

  private async feature(
    organizationId: string,
    featureType: FeatureType,
    now: number,
  ): Promise<FeatureRateLimit> {
    const { organization, platform, effective } = await this.configs.get(organizationId, featureType, null);
    const refused = configRejection(organization.subscriptionTier, featureType, effective);
    const limit = platform.rateLimitPerMinute;
    const base = { featureType, limitPerMinute: limit, refusedBecause: refusedReason(refused?.reason) };
    // Admission refuses everything at a limit of 0 without asking the limiter.
    if (limit <= 0) return { ...base, remaining: 0, resetAt: null, resetsInMs: null };
    let standing: Awaited<ReturnType<RateLimiter["peek"]>>;
    try {
      standing = await this.limiter.peek(rateLimitKey(organizationId, featureType), {
        limit,
        windowMs: RATE_LIMIT_WINDOW_MS,
        now,
      });
    } catch (err) {
      throw new AppError("SERVICE_UNAVAILABLE", "Rate limiting is unavailable; try again shortly", {
        cause: err,
      });
    }
    const counted = standing.remaining < limit;
    const resetsInMs = counted ? Math.max(0, standing.reset - now) : null;
    return {
      ...base,
      remaining: standing.remaining,
      resetAt: resetsInMs === null ? null : new Date(now + resetsInMs).toISOString(),
      resetsInMs,
    };
  }
}

function refusedReason(reason: string | undefined): FeatureRateLimit["refusedBecause"] {
  return reason === "tier" || reason === "feature_disabled" ? reason : null;
}
