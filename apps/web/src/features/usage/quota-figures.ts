import type { FeatureType } from "@wedsync/core/domain";
import { toMicros } from "@wedsync/core/money";
import { type LiveState, liveTotals } from "./live-quota";

/** One feature's day against its caps, as the meters show it. */
export interface FeatureQuota {
  featureType: FeatureType;
  isEnabled: boolean;
  availableOnTier: boolean;
  requiredTier: string;
  requests: number;
  maxRequestsPerDay: number;
  spentMicros: bigint;
  maxCostMicros: bigint;
}

interface PlatformFeature {
  featureType: FeatureType;
  isEnabled: boolean;
  availableOnTier: boolean;
  requiredTier: string;
  maxRequestsPerDay: number;
  maxCostPerDay: string;
}

interface CounterRow {
  period: string;
  featureType: FeatureType;
  requests: number;
  spentUsd: string;
}

/**
 * Each feature's requests and spend on `today` (the counters admission checks the caps against)
 * plus the live events not yet in them, beside its platform caps. Sums in micro-dollars.
 */
export function featureQuotas(
  features: readonly PlatformFeature[],
  rows: readonly CounterRow[],
  today: string,
  live: LiveState,
): FeatureQuota[] {
  const extra = liveTotals(live);
  return features.map((f) => {
    const counted = rows.filter((r) => r.period === today && r.featureType === f.featureType);
    const more = extra.get(f.featureType) ?? { requests: 0, costMicros: 0n };
    return {
      featureType: f.featureType,
      isEnabled: f.isEnabled,
      availableOnTier: f.availableOnTier,
      requiredTier: f.requiredTier,
      requests: counted.reduce((n, r) => n + r.requests, 0) + more.requests,
      maxRequestsPerDay: f.maxRequestsPerDay,
      spentMicros: counted.reduce((s, r) => s + toMicros(r.spentUsd), 0n) + more.costMicros,
      maxCostMicros: toMicros(f.maxCostPerDay),
    };
  });
}

/**
 * Spend per day over every feature, with the live events added to `today`: what the month's
 * meter and projection read.
 */
export function spendByDay(rows: readonly CounterRow[], today: string, live: LiveState): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const r of rows) out.set(r.period, (out.get(r.period) ?? 0n) + toMicros(r.spentUsd));
  let liveMicros = 0n;
  for (const t of liveTotals(live).values()) liveMicros += t.costMicros;
  if (liveMicros > 0n) out.set(today, (out.get(today) ?? 0n) + liveMicros);
  return out;
}
