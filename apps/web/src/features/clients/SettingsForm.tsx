import { zodResolver } from "@hookform/resolvers/zod";
import type { FeatureType } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { notify } from "@wedsync/ui/Notifications";
import { featureWords } from "@wedsync/ui/words";
import { useEffect, useState } from "react";
import { Button, Checkbox, CheckboxGroup, Form, Label, Text } from "react-aria-components";
import { Controller, useForm } from "react-hook-form";
import { type Conflict, ConflictNotice, conflictOf } from "./ConflictNotice";
import { FormSelect, FormTextField } from "./fields";
import { readableIssue } from "./formIssues";
import {
  DATE_FORMATS,
  PROVIDER_WORDS,
  PROVIDERS,
  type SettingsFormOutput,
  type SettingsFormValues,
  type StoredSettings,
  settingsFormSchema,
  settingsFormValues,
  settingsToStore,
} from "./settingsSchema";
import { WEDDING_FIELD_WORDS } from "./words";

/** Saves the three settings objects; returns what is stored and its version; throws the API's error. */
export type SaveSettings = (
  change: StoredSettings & { expectedVersion: number },
) => Promise<StoredSettings & { version: number }>;

/** The fields settings apply to (see core's result-settings: threshold and exclusions per feature). */
const THRESHOLD_FEATURES: readonly FeatureType[] = ["field_extraction", "smart_mapping"];

/** Settings in words, for a conflict's two sides. */
export function settingsWords(s: StoredSettings): string[] {
  const f = settingsFormValues(s);
  const out: string[] = [];
  if (f.preferredProvider !== "default") out.push(`Provider: ${PROVIDER_WORDS[f.preferredProvider]}`);
  if (f.allowFallback !== "default")
    out.push(`Fallback: ${f.allowFallback === "yes" ? "allowed" : "not allowed"}`);
  if (f.confidenceThreshold) out.push(`Confidence threshold: ${f.confidenceThreshold}`);
  if (f.excludedFields.length)
    out.push(`Never extract: ${f.excludedFields.map((k) => WEDDING_FIELD_WORDS[k] ?? k).join(", ")}`);
  if (f.glossary) out.push(`Glossary: ${f.glossary.split("\n").length} terms`);
  if (f.language) out.push(`Language: ${f.language}`);
  if (f.dateFormat !== "default") out.push(`Date format: ${f.dateFormat}`);
  if (f.currency) out.push(`Currency: ${f.currency}`);
  return out;
}

/**
 * How the AI handles this client's requests for one feature: provider and fallback, confidence
 * threshold, fields never extracted, glossary, language, date format and currency, each checked
 * by the API's own schema; the priority is the organization's, shown for reference.
 */
export function SettingsForm({
  clientName,
  featureType,
  priorityLevel,
  stored,
  version,
  save,
}: {
  clientName: string;
  featureType: FeatureType;
  priorityLevel: number;
  stored: StoredSettings;
  version: number;
  save: SaveSettings;
}) {
  const feature = featureWords(featureType);
  const form = useForm<SettingsFormValues, unknown, SettingsFormOutput>({
    resolver: zodResolver(settingsFormSchema, { error: readableIssue }),
    defaultValues: settingsFormValues(stored),
  });
  const [base, setBase] = useState({ stored, version });
  const [conflict, setConflict] = useState<(Conflict & { mine: StoredSettings }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  const storedKey = `${version}:${JSON.stringify(stored)}`;
  useEffect(() => {
    if (form.formState.isDirty) return;
    setBase({ stored, version });
    form.reset(settingsFormValues(stored));
  }, [storedKey]);

  function rebase(next: { stored: StoredSettings; version: number }) {
    setBase(next);
    form.reset(settingsFormValues(next.stored));
  }

  async function send(expectedVersion: number, settings: StoredSettings) {
    setPending(true);
    setError(null);
    try {
      const saved = await save({ expectedVersion, ...settings });
      setConflict(null);
      rebase({ stored: saved, version: saved.version });
      notify({ title: `${feature} settings saved for ${clientName}`, tone: "success" });
    } catch (err) {
      const lost = conflictOf(err);
      if (lost) setConflict({ ...lost, mine: settings });
      else setError(err);
    } finally {
      setPending(false);
    }
  }

  const onSubmit = form.handleSubmit((values) => send(base.version, settingsToStore(base.stored, values)));

  const theirs = (c: Conflict): StoredSettings =>
    c.current
      ? {
          featureSettings: c.current.featureSettings,
          customPrompts: c.current.customPrompts,
          processingPreferences: c.current.processingPreferences,
        }
      : { featureSettings: {}, customPrompts: {}, processingPreferences: {} };

  return (
    <Form
      onSubmit={onSubmit}
      className="cl-settings-form"
      aria-label={`${feature} settings for ${clientName}`}
    >
      <div className="form-grid">
        <FormSelect
          control={form.control}
          name="preferredProvider"
          label="Preferred provider"
          choices={[
            { id: "default", label: "The platform's primary provider" },
            ...PROVIDERS.map((p) => ({ id: p, label: PROVIDER_WORDS[p] })),
          ]}
        />
        <FormSelect
          control={form.control}
          name="allowFallback"
          label="Fall back to another provider"
          description="When the preferred provider fails."
          choices={[
            { id: "default", label: "Allowed (the default)" },
            { id: "yes", label: "Allowed" },
            { id: "no", label: "Not allowed" },
          ]}
        />
        {THRESHOLD_FEATURES.includes(featureType) && (
          <FormTextField
            control={form.control}
            name="confidenceThreshold"
            label="Confidence threshold"
            inputMode="decimal"
            description="From 0 to 1: values the AI is less sure of are flagged for review (0.8 = below 80 %)."
          />
        )}
        <FormTextField
          control={form.control}
          name="language"
          label="Language"
          description="The language the couple writes in, e.g. French or fr."
        />
        <FormSelect
          control={form.control}
          name="dateFormat"
          label="Date format"
          description="How to read numeric dates such as 06/09/2027."
          choices={[
            { id: "default", label: "Not set (guess from the text)" },
            ...DATE_FORMATS.map((d) => ({ id: d, label: d })),
          ]}
        />
        <FormTextField
          control={form.control}
          name="currency"
          label="Currency"
          description="For amounts written without one: three letters, e.g. EUR, GBP or USD."
        />
      </div>
      {featureType === "field_extraction" && (
        <Controller
          control={form.control}
          name="excludedFields"
          render={({ field, fieldState }) => (
            <CheckboxGroup
              className="field cl-checkbox-group"
              value={field.value}
              onChange={field.onChange}
              isInvalid={Boolean(fieldState.error)}
            >
              <Label>Never extract these fields</Label>
              <Text slot="description" className="description">
                For couples who do not want them kept (e.g. their budget).
              </Text>
              <div className="cl-checkbox-grid">
                {Object.entries(WEDDING_FIELD_WORDS).map(([key, label]) => (
                  <Checkbox key={key} value={key} className="cl-checkbox">
                    {({ isSelected }) => (
                      <>
                        <span className="cl-checkbox-box" aria-hidden="true">
                          {isSelected ? "✓" : ""}
                        </span>
                        {label}
                      </>
                    )}
                  </Checkbox>
                ))}
              </div>
              {fieldState.error && <p className="field-error">Never extract: {fieldState.error.message}</p>}
            </CheckboxGroup>
          )}
        />
      )}
      <FormTextField
        control={form.control}
        name="glossary"
        label="Glossary"
        multiline
        description="One term a line, as term = meaning (e.g. vin d'honneur = drinks reception). At most 50."
      />
      <p className="small">
        Priority level: <strong>{priorityLevel}</strong>{" "}
        <span className="cl-source cl-source-inherited">inherited</span>{" "}
        <span className="muted">
          (set for the organization in AI configuration; a client cannot change it)
        </span>
      </p>
      {conflict && (
        <ConflictNotice
          conflict={conflict}
          theirs={settingsWords(theirs(conflict))}
          mine={settingsWords(conflict.mine)}
          pending={pending}
          onReapply={() => void send(conflict.currentVersion, conflict.mine)}
          onDiscard={() => {
            rebase({ stored: theirs(conflict), version: conflict.currentVersion });
            setConflict(null);
          }}
        />
      )}
      {error !== null && !conflict && <ApiErrorNotice error={error as never} />}
      <div className="toolbar">
        <Button type="submit" className="primary" isPending={pending}>
          Save {feature} settings
        </Button>
        <Button
          className="secondary"
          isDisabled={!form.formState.isDirty || pending}
          onPress={() => form.reset(settingsFormValues(base.stored))}
        >
          Undo my edits
        </Button>
      </div>
    </Form>
  );
}
