import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { fieldWords, valueWords } from "@wedsync/ui/config-words";
import type { ApiError } from "@wedsync/ui/errors";
import { notify } from "@wedsync/ui/Notifications";
import { FEATURE_DESCRIPTIONS, featureWords, tierWords } from "@wedsync/ui/words";
import { useId, useRef, useState } from "react";
import { Button } from "react-aria-components";
import { ConflictView } from "./ConflictView";
import { type Conflict, conflictOf } from "./conflict";
import { FeatureSwitch } from "./FeatureSwitch";
import { LimitsForm, type SaveOutcome } from "./LimitsForm";
import { LimitsSummary } from "./LimitsSummary";
import { undoPatchOf } from "./limits-form";
import type { ConfigPatch, PlatformFeature, PricedModel, SaveResult } from "./types";

/** The last change made here, with the patch that takes it back. */
interface Undoable {
  text: string;
  patch: ConfigPatch;
  /** Client overrides lowered to fit the change: undo does not raise them again. */
  cascaded: number;
}

export interface FeatureCardProps {
  feature: PlatformFeature;
  tier: string;
  canEdit: boolean;
  pricedModels: readonly PricedModel[] | null;
  onToggle: (isEnabled: boolean) => Promise<SaveResult>;
  onSave: (patch: ConfigPatch, expectedVersion: number) => Promise<SaveResult>;
}

function changeText(before: PlatformFeature, patch: ConfigPatch): string {
  return Object.keys(patch)
    .map((field) => {
      const key = field as keyof ConfigPatch;
      return `${fieldWords(field)}: ${valueWords(field, before[key])} → ${valueWords(field, patch[key])}`;
    })
    .join("; ");
}

const cascadeText = (n: number) =>
  n === 0 ? "" : ` ${n} client override${n === 1 ? " was" : "s were"} lowered to fit.`;

/**
 * One AI feature: its switch, its caps, rate limit and model (editable by owners and admins),
 * the plan that unlocks it when the organization's plan does not, the last change with Undo,
 * and a lost race (CONFLICT) shown side by side with a way through.
 */
export function FeatureCard({ feature, tier, canEdit, pricedModels, onToggle, onSave }: FeatureCardProps) {
  const id = useId();
  const name = featureWords(feature.featureType);
  const [pendingSwitch, setPendingSwitch] = useState<boolean | null>(null);
  const [undo, setUndo] = useState<Undoable | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  // This person's own switch change, which an edit in progress should not mistake for someone else's.
  const [ownToggle, setOwnToggle] = useState<{ from: number; config: PlatformFeature } | null>(null);
  // A new form (fresh from the stored settings) after a conflict is settled.
  const [formKey, setFormKey] = useState(0);
  const locked = !feature.availableOnTier;
  // Where focus goes when the Undo button it was on goes away.
  const heading = useRef<HTMLHeadingElement>(null);

  const toggle = async (isEnabled: boolean): Promise<boolean> => {
    setPendingSwitch(isEnabled);
    setError(null);
    try {
      const from = feature.version;
      const { config, cascadedClientConfigs } = await onToggle(isEnabled);
      setOwnToggle({ from, config });
      const text = `${name} switched ${isEnabled ? "on" : "off"}.`;
      setUndo({ text, patch: { isEnabled: !isEnabled }, cascaded: cascadedClientConfigs });
      notify({
        title: text,
        description: `${isEnabled ? "Clients can use it again within their limits." : "No client can use it until it is switched back on."}${cascadeText(cascadedClientConfigs)} Undo is beside the switch.`,
        tone: "success",
      });
      return true;
    } catch (e) {
      setError(e as ApiError);
      return false;
    } finally {
      setPendingSwitch(null);
    }
  };

  /** Every change of settings goes through here: a save, a re-applied save, an undo. */
  const save = async (patch: ConfigPatch, base: PlatformFeature, what: string): Promise<SaveOutcome> => {
    setError(null);
    setBusy(true);
    try {
      const { config, cascadedClientConfigs } = await onSave(patch, base.version);
      setConflict(null);
      const text = changeText(base, patch);
      setUndo({ text, patch: undoPatchOf(base, patch), cascaded: cascadedClientConfigs });
      notify({
        title: `${name}: ${what}`,
        description: text + cascadeText(cascadedClientConfigs),
        tone: "success",
      });
      return { status: "saved", config };
    } catch (e) {
      const theirs = conflictOf(e);
      if (theirs) setConflict({ base, theirs, mine: patch });
      else setError(e as ApiError);
      return { status: "kept" };
    } finally {
      setBusy(false);
    }
  };

  const undoLast = async () => {
    if (!undo) return;
    if (undo.patch.isEnabled !== undefined && Object.keys(undo.patch).length === 1) {
      if (await toggle(undo.patch.isEnabled)) {
        setUndo(null);
        heading.current?.focus();
      }
      return;
    }
    const outcome = await save(undo.patch, feature, "change undone");
    if (outcome.status === "saved") {
      setUndo(null);
      setFormKey((k) => k + 1);
      heading.current?.focus();
    }
  };

  const headingId = `${id}-name`;
  const lockId = `${id}-lock`;
  return (
    <article className="panel feature-card" aria-labelledby={headingId} data-feature={feature.featureType}>
      <div className="feature-head">
        <div>
          <h3 id={headingId} ref={heading} tabIndex={-1}>
            {name}
          </h3>
          <p className="muted feature-description">{FEATURE_DESCRIPTIONS[feature.featureType]}</p>
        </div>
        <FeatureSwitch
          feature={feature}
          labelledBy={headingId}
          describedBy={locked ? lockId : undefined}
          canEdit={canEdit}
          pending={pendingSwitch}
          onChange={(on) => void toggle(on)}
        />
      </div>
      {locked && (
        <p id={lockId} className="locked">
          Locked: included from the {tierWords(feature.requiredTier)} plan. Your organization is on the{" "}
          {tierWords(tier)} plan{feature.isEnabled ? "; it can be switched off but not back on." : "."}
        </p>
      )}
      {undo && (
        <div className="undo-bar" role="status">
          <span>
            {undo.text}
            {undo.cascaded > 0 &&
              ` ${undo.cascaded} client override(s) were adjusted to fit; Undo leaves them as they are now.`}
          </span>
          <Button
            className="secondary"
            isDisabled={busy || pendingSwitch !== null}
            onPress={() => void undoLast()}
          >
            Undo
          </Button>
        </div>
      )}
      {error && <ApiErrorNotice error={error} />}
      {conflict && (
        <ConflictView
          conflict={conflict}
          pending={busy}
          onReapply={(patch) => void reapplied(patch)}
          onKeepTheirs={() => {
            setConflict(null);
            setFormKey((k) => k + 1);
            notify({
              title: `${name}: kept their version`,
              description: "Your change was not applied.",
              tone: "info",
            });
          }}
        />
      )}
      {canEdit && !locked ? (
        <LimitsForm
          key={formKey}
          feature={feature}
          pricedModels={pricedModels}
          blocked={conflict !== null}
          ownToggle={ownToggle}
          onSave={(patch, base) => save(patch, base, "limits saved")}
        />
      ) : (
        <LimitsSummary feature={feature} />
      )}
    </article>
  );

  async function reapplied(patch: ConfigPatch) {
    if (!conflict) return;
    const outcome = await save(patch, conflict.theirs, "your change applied on top");
    if (outcome.status === "saved") setFormKey((k) => k + 1);
  }
}
