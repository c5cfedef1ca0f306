import { Switch } from "react-aria-components";
import type { PlatformFeature } from "./types";

/**
 * The feature's on/off switch, named by the feature's heading. It shows the value being saved
 * while the save runs, then whatever the server stored. Read-only for members; a locked feature
 * (not in the plan) can be switched off but not on.
 */
export function FeatureSwitch({
  feature,
  labelledBy,
  describedBy,
  canEdit,
  pending,
  onChange,
}: {
  feature: PlatformFeature;
  labelledBy: string;
  describedBy?: string | undefined;
  canEdit: boolean;
  /** The value being saved, or null. */
  pending: boolean | null;
  onChange: (isEnabled: boolean) => void;
}) {
  const isSelected = pending ?? feature.isEnabled;
  const locked = !feature.availableOnTier && !feature.isEnabled;
  return (
    <Switch
      className="switch"
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      isSelected={isSelected}
      isReadOnly={!canEdit}
      // Not disabled while saving: a disabled control drops keyboard focus. A second press waits.
      isDisabled={canEdit && locked}
      onChange={(on) => {
        if (pending === null) onChange(on);
      }}
      data-testid={`switch-${feature.featureType}`}
    >
      <span className="indicator" aria-hidden="true" />
      <span className="switch-state">
        {pending !== null ? (pending ? "Switching on…" : "Switching off…") : isSelected ? "On" : "Off"}
      </span>
    </Switch>
  );
}
