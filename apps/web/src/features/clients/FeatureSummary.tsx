import type { EffectiveConfig, PlatformLimits } from "@wedsync/core/domain";
import { tierWords } from "@wedsync/ui/words";
import { CAP_FIELDS, type CapField, capWithUnit, fieldValue } from "./words";

/**
 * Where a value comes from, in words as well as style: "inherited" from the organization, or this
 * client's own "override" with the platform's ceiling beside it.
 */
export function Source({ inherited, ceiling }: { inherited: boolean; ceiling?: string | undefined }) {
  if (inherited) return <span className="cl-source cl-source-inherited">inherited</span>;
  return (
    <span className="cl-source cl-source-override">
      override{ceiling !== undefined && <span className="cl-ceiling"> · limit {ceiling}</span>}
    </span>
  );
}

/**
 * One feature's effective setting for one client, compact enough for a table cell: on or off,
 * and its caps, each marked inherited or override (with the platform's limit beside an override).
 * The rate limit is shown only when the client overrides it.
 */
export function FeatureSummary({
  effective,
  platform,
  lockedTier,
}: {
  effective: EffectiveConfig;
  platform: PlatformLimits;
  /** The tier that unlocks the feature, when the organization's tier does not include it. */
  lockedTier?: string | null | undefined;
}) {
  if (lockedTier) {
    return <span className="muted">Locked: needs the {tierWords(lockedTier)} plan</span>;
  }
  const { inherited } = effective;
  const onOff = effective.isEnabled
    ? "On"
    : effective.disabledBy === "platform"
      ? "Off for the organization"
      : "Off for this client";
  const shown: CapField[] = CAP_FIELDS.filter((f) => f !== "rateLimitPerMinute" || !inherited[f]);
  return (
    <div className="cl-feature-summary" data-enabled={effective.isEnabled}>
      <div className={inherited.isEnabled ? "cl-value-inherited" : "cl-value-override"}>
        <strong>{onOff}</strong> <Source inherited={inherited.isEnabled} />
      </div>
      {shown.map((field) => (
        <div key={field} className={inherited[field] ? "cl-value-inherited" : "cl-value-override"}>
          {capWithUnit(field, effective[field])}{" "}
          <Source inherited={inherited[field]} ceiling={fieldValue(field, platform[field])} />
        </div>
      ))}
    </div>
  );
}
