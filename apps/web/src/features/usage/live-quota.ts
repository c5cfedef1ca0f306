import type { FeatureType } from "@wedsync/core/domain";
import { toMicros } from "@wedsync/core/money";

/** What the quota meters need of a usage event (usage.onUsage's data). */
export interface QuotaEvent {
  seq: number;
  featureType: FeatureType;
  status: "pending" | "succeeded" | "failed" | "rejected";
  costUsd: string | null;
}

interface Delta {
  seq: number;
  featureType: FeatureType;
  costMicros: bigint;
}

/**
 * Requests recorded since the figures on screen were read: `baseSeq` is the newest event those
 * figures already count (usage.byFeature's lastEventSeq), `pending` the events after it.
 */
export interface LiveState {
  baseSeq: number;
  pending: readonly Delta[];
}

export type LiveAction = { type: "event"; event: QuotaEvent } | { type: "base"; seq: number };

export const NO_LIVE: LiveState = { baseSeq: 0, pending: [] };

/**
 * Events move the meters at once; fresh figures (the throttled refetch) take over every event
 * they count. A completed request (succeeded or failed) counts against the caps with its cost;
 * a rejected one never reached them. An event the figures already count, or seen before, is
 * ignored, so nothing is counted twice.
 */
export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  if (action.type === "base") {
    if (action.seq === state.baseSeq) return state;
    return { baseSeq: action.seq, pending: state.pending.filter((d) => d.seq > action.seq) };
  }
  const e = action.event;
  if (e.status !== "succeeded" && e.status !== "failed") return state;
  if (e.seq <= state.baseSeq || state.pending.some((d) => d.seq === e.seq)) return state;
  const delta = { seq: e.seq, featureType: e.featureType, costMicros: e.costUsd ? toMicros(e.costUsd) : 0n };
  return { ...state, pending: [...state.pending, delta] };
}

/** The not-yet-counted requests and spend, per feature. */
export function liveTotals(state: LiveState): Map<FeatureType, { requests: number; costMicros: bigint }> {
  const out = new Map<FeatureType, { requests: number; costMicros: bigint }>();
  for (const d of state.pending) {
    const t = out.get(d.featureType) ?? { requests: 0, costMicros: 0n };
    out.set(d.featureType, { requests: t.requests + 1, costMicros: t.costMicros + d.costMicros });
  }
  return out;
}
