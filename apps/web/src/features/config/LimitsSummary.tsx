import { fieldWords, valueWords } from "@wedsync/ui/config-words";
import type { PlatformFeature } from "./types";

const SHOWN = ["maxRequestsPerDay", "maxCostPerDay", "rateLimitPerMinute", "model"] as const;

/** A feature's settings, read-only: for members, and for a feature the plan does not include. */
export function LimitsSummary({ feature }: { feature: PlatformFeature }) {
  return (
    <dl className="limits-summary">
      {SHOWN.map((field) => (
        <div key={field}>
          <dt>{fieldWords(field)}</dt>
          <dd>{valueWords(field, feature[field])}</dd>
        </div>
      ))}
    </dl>
  );
}
