import { formatCount } from "@wedsync/ui/format";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { UsageMeter } from "@wedsync/ui/UsageMeter";
import { featureWords } from "@wedsync/ui/words";

export type RateLimitStatus = RouterOutputs["usage"]["rateLimits"];
type FeatureLimit = RateLimitStatus["features"][number];

/** Milliseconds left of a countdown the server started `elapsedMs` ago, or null when none runs. */
export function remainingMs(f: Pick<FeatureLimit, "resetsInMs">, elapsedMs: number): number | null {
  return f.resetsInMs === null ? null : Math.max(0, f.resetsInMs - elapsedMs);
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

function stateWords(f: FeatureLimit, leftMs: number | null): string {
  if (f.refusedBecause === "tier") return "Not in your plan: requests are refused whatever the rate.";
  if (f.refusedBecause === "feature_disabled") return "Switched off: requests are refused whatever the rate.";
  if (f.limitPerMinute === 0) return "The rate limit is 0: every request is refused.";
  if (leftMs === null) return "Nothing counted in the last minute: the full allowance is available.";
  if (f.remaining === 0) return `Limit reached: the next request is admitted in ${seconds(leftMs)}.`;
  return `A used slot frees up in ${seconds(leftMs)}.`;
}

/**
 * Each feature's rate limit as a meter (requests used this minute against the limit) with what
 * is left and when the next slot frees up, counted down from when the figures arrived.
 */
export function RateLimitList({ status, elapsedMs }: { status: RateLimitStatus; elapsedMs: number }) {
  return (
    <ul className="api-rate-limits">
      {status.features.map((f) => {
        const leftMs = remainingMs(f, elapsedMs);
        const used = f.limitPerMinute - f.remaining;
        return (
          <li key={f.featureType} data-feature={f.featureType}>
            <UsageMeter
              label={featureWords(f.featureType)}
              value={used}
              max={f.limitPerMinute}
              valueText={`${formatCount(f.remaining)} of ${formatCount(f.limitPerMinute)} left this minute`}
            />
            <p className="small muted api-resets">{stateWords(f, leftMs)}</p>
          </li>
        );
      })}
    </ul>
  );
}
