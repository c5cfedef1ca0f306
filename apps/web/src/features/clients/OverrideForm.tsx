import { zodResolver } from "@hookform/resolvers/zod";
import type { ClientOverride, EffectiveConfig, OverridableField, PlatformLimits } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmDialog } from "@wedsync/ui/ConfirmDialog";
import { notify } from "@wedsync/ui/Notifications";
import { featureWords } from "@wedsync/ui/words";
import { type ReactNode, useEffect, useState } from "react";
import { Button, Form } from "react-aria-components";
import { useForm } from "react-hook-form";
import { type Conflict, ConflictNotice, conflictOf, overrideWords } from "./ConflictNotice";
import { Source } from "./FeatureSummary";
import { FormSelect, FormTextField } from "./fields";
import { readableIssue } from "./formIssues";
import {
  changedOverrides,
  type OverrideFormValues,
  overrideFormSchema,
  overrideFormValues,
} from "./overrideSchema";
import { CAP_FIELDS, FIELD_WORDS, fieldValue } from "./words";

export interface OverrideSave {
  expectedVersion: number;
  overrides: Partial<ClientOverride>;
}
/** Saves and returns the stored overrides and their version; throws the API's error. */
export type SaveOverrides = (change: OverrideSave) => Promise<{ version: number; overrides: ClientOverride }>;

interface Base {
  override: ClientOverride | null;
  version: number;
}

const ERROR_FIELDS = new Set<string>([
  "isEnabled",
  "maxRequestsPerDay",
  "maxCostPerDay",
  "rateLimitPerMinute",
]);

/**
 * One client's overrides of one feature: on/off and each cap, the effective value and the
 * platform's limit beside each, refused in the form above that limit (before any request);
 * "Reset to inherited" per field behind a confirmation; a lost race shown with both sides.
 */
export function OverrideForm({
  clientName,
  platform,
  stored,
  version,
  effective,
  save,
}: {
  clientName: string;
  platform: PlatformLimits;
  stored: ClientOverride | null;
  version: number;
  effective: EffectiveConfig;
  save: SaveOverrides;
}) {
  const feature = featureWords(platform.featureType);
  const form = useForm<OverrideFormValues, unknown, ClientOverride>({
    resolver: zodResolver(overrideFormSchema(platform), { error: readableIssue }),
    defaultValues: overrideFormValues(stored),
  });
  // The stored state the person's edits start from: what a save's expectedVersion refers to.
  const [base, setBase] = useState<Base>({ override: stored, version });
  const [conflict, setConflict] = useState<(Conflict & { mine: Partial<ClientOverride> }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  // Fresh data from the server (a live change, a save) shows at once unless the person is editing.
  const storedKey = `${version}:${JSON.stringify(stored)}`;
  useEffect(() => {
    if (form.formState.isDirty) return;
    setBase({ override: stored, version });
    form.reset(overrideFormValues(stored));
  }, [storedKey]);

  function rebase(next: Base) {
    setBase(next);
    form.reset(overrideFormValues(next.override));
  }

  async function send(change: OverrideSave, onSaved: () => void) {
    setPending(true);
    setError(null);
    try {
      const saved = await save(change);
      setConflict(null);
      onSaved();
      rebase({ override: saved.overrides, version: saved.version });
      return true;
    } catch (err) {
      const lost = conflictOf(err);
      if (lost) setConflict({ ...lost, mine: change.overrides });
      else {
        setError(err);
        // The API names a refused value by field (overrides.<field>): show it on that field.
        for (const f of (err as { data?: { fieldErrors?: Array<{ field: string; message: string }> } })?.data
          ?.fieldErrors ?? []) {
          const name = f.field.replace(/^overrides\./, "");
          if (ERROR_FIELDS.has(name)) form.setError(name as keyof OverrideFormValues, { message: f.message });
        }
      }
      return false;
    } finally {
      setPending(false);
    }
  }

  const onSubmit = form.handleSubmit(async (next) => {
    const overrides = changedOverrides(base.override, next);
    if (Object.keys(overrides).length === 0) {
      notify({
        title: "Nothing to save",
        description: `${feature} for ${clientName} already has these values.`,
      });
      return;
    }
    await send({ expectedVersion: base.version, overrides }, () =>
      notify({
        title: `${feature} saved for ${clientName}`,
        description: overrideWords(overrides).join("; "),
        tone: "success",
      }),
    );
  });

  const resetField = async (field: OverridableField) => {
    const ok = await send({ expectedVersion: base.version, overrides: { [field]: null } }, () =>
      notify({
        title: `${FIELD_WORDS[field]} reset to inherited`,
        description: `${feature} for ${clientName} now uses the organization's ${fieldValue(field, platform[field])}.`,
        tone: "success",
      }),
    );
    if (!ok) throw new Error("not saved");
  };

  const enabledChoices = [
    { id: "inherit", label: `Same as the organization (${platform.isEnabled ? "on" : "off"})` },
    { id: "on", label: "On for this client", isDisabled: !platform.isEnabled },
    { id: "off", label: "Off for this client" },
  ];

  return (
    <Form onSubmit={onSubmit} className="cl-override-form" aria-label={`${feature} limits for ${clientName}`}>
      <div className="cl-override-grid">
        <OverrideRow
          field="isEnabled"
          effective={effective}
          platformValue={platform.isEnabled ? "On" : "Off"}
          stored={base.override}
          clientName={clientName}
          feature={feature}
          onReset={resetField}
        >
          <FormSelect
            control={form.control}
            name="isEnabled"
            label={`${feature} for this client`}
            choices={enabledChoices}
          />
        </OverrideRow>
        {CAP_FIELDS.map((field) => (
          <OverrideRow
            key={field}
            field={field}
            effective={effective}
            platformValue={fieldValue(field, platform[field])}
            stored={base.override}
            clientName={clientName}
            feature={feature}
            onReset={resetField}
          >
            <FormTextField
              control={form.control}
              name={field}
              label={FIELD_WORDS[field]}
              inputMode={field === "maxCostPerDay" ? "decimal" : "numeric"}
              description={`Platform limit ${fieldValue(field, platform[field])}. Leave empty to inherit it.`}
            />
          </OverrideRow>
        ))}
      </div>
      {conflict && (
        <ConflictNotice
          conflict={conflict}
          theirs={overrideWords(conflict.current?.overrides ?? null).filter((w) => !w.endsWith("inherited"))}
          mine={overrideWords(conflict.mine)}
          pending={pending}
          onReapply={() =>
            void send({ expectedVersion: conflict.currentVersion, overrides: conflict.mine }, () =>
              notify({
                title: `${feature} saved for ${clientName}`,
                description: "Applied on top of the other change.",
                tone: "success",
              }),
            )
          }
          onDiscard={() => {
            rebase({ override: conflict.current?.overrides ?? null, version: conflict.currentVersion });
            setConflict(null);
          }}
        />
      )}
      {error !== null && !conflict && <ApiErrorNotice error={error as never} />}
      <div className="toolbar">
        <Button type="submit" className="primary" isPending={pending}>
          Save {feature} limits
        </Button>
        <Button
          className="secondary"
          isDisabled={!form.formState.isDirty || pending}
          onPress={() => form.reset(overrideFormValues(base.override))}
        >
          Undo my edits
        </Button>
      </div>
    </Form>
  );
}

/** One setting: its input, what is in force now (inherited or override, the limit beside it) and its reset. */
function OverrideRow({
  field,
  effective,
  platformValue,
  stored,
  clientName,
  feature,
  onReset,
  children,
}: {
  field: OverridableField;
  effective: EffectiveConfig;
  platformValue: string;
  stored: ClientOverride | null;
  clientName: string;
  feature: string;
  onReset: (field: OverridableField) => Promise<void>;
  children: ReactNode;
}) {
  const own = stored?.[field] ?? null;
  const inherited = effective.inherited[field];
  return (
    <div className="cl-override-row" data-inherited={inherited}>
      {children}
      <p className="small cl-now">
        In force: <strong>{fieldValue(field, effective[field])}</strong>{" "}
        <Source inherited={inherited} ceiling={inherited ? undefined : platformValue} />
      </p>
      {own !== null && (
        <ConfirmDialog
          trigger={
            <>
              Reset <span className="visually-hidden">{FIELD_WORDS[field]}</span> to inherited
            </>
          }
          triggerClassName="secondary cl-small-button"
          title={`Reset ${FIELD_WORDS[field].toLowerCase()} to inherited?`}
          confirmLabel="Reset to inherited"
          onConfirm={() => onReset(field)}
        >
          <p>
            {feature} for {clientName}: {FIELD_WORDS[field]} {fieldValue(field, own)} (override) →{" "}
            {platformValue} (inherited from the organization).
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
