import { fromMicros } from "@wedsync/core/money";
import { formatCount, formatUsd } from "@wedsync/ui/format";
import { UsageMeter } from "@wedsync/ui/UsageMeter";
import { featureWords, tierWords } from "@wedsync/ui/words";
import type { FeatureQuota } from "./quota-figures";

const usd = (micros: bigint) => formatUsd(fromMicros(micros, 6), "auto");

/** Today's requests and spend of each feature against its daily caps. */
export function QuotaMeters({ quotas }: { quotas: readonly FeatureQuota[] }) {
  return (
    <div className="quota-grid">
      {quotas.map((q) => {
        const id = `quota-${q.featureType}`;
        return (
          <section key={q.featureType} className="panel quota-card" aria-labelledby={id} data-testid={id}>
            <h3 id={id}>{featureWords(q.featureType)}</h3>
            {!q.availableOnTier ? (
              <p className="muted small">
                Not in your plan: available from the {tierWords(q.requiredTier)} plan.
              </p>
            ) : (
              !q.isEnabled && <p className="muted small">Switched off: requests for it are turned away.</p>
            )}
            <UsageMeter
              label="Requests today"
              value={q.requests}
              max={q.maxRequestsPerDay}
              valueText={`${formatCount(q.requests)} of ${formatCount(q.maxRequestsPerDay)} requests`}
            />
            <UsageMeter
              label="Spend today"
              value={Number(q.spentMicros)}
              max={Number(q.maxCostMicros)}
              valueText={`${usd(q.spentMicros)} of ${usd(q.maxCostMicros)}`}
            />
          </section>
        );
      })}
    </div>
  );
}
