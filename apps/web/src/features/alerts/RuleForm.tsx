import { zodResolver } from "@hookform/resolvers/zod";
import { THRESHOLD_RANGES } from "@wedsync/core/domain";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import type { ApiError } from "@wedsync/ui/errors";
import { useState } from "react";
import {
  Button,
  Checkbox,
  FieldError,
  Input,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Switch,
  Text,
  TextField,
} from "react-aria-components";
import { Controller, useForm } from "react-hook-form";
import { initialValues, type RuleFormValues, ruleFormSchema } from "./rule-form";
import { type AlertKind, type AlertRule, KIND_WORDS, unitWords } from "./words";

/** The API's field names, and how a message about each starts on screen. */
const SERVER_FIELDS: Array<{ prefix: string; name: "thresholds" | "webhookUrl"; label: string }> = [
  { prefix: "thresholds", name: "thresholds", label: "Thresholds" },
  { prefix: "webhookUrl", name: "webhookUrl", label: "The webhook URL" },
  { prefix: "webhookSecret", name: "webhookUrl", label: "The signing secret" },
];

/**
 * Create or edit one alert rule. Values are checked as the API checks them (core's threshold
 * ranges, the webhook URL's form) before anything is sent; what only the server can refuse (a
 * private address, a second rule of a kind) comes back on the field it is about.
 */
export function RuleForm({
  rule,
  kinds,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  /** The rule being edited; none to create one. */
  rule?: AlertRule;
  /** Kinds a new rule may watch (one rule per kind). */
  kinds: readonly AlertKind[];
  submitLabel: string;
  onSubmit: (values: RuleFormValues) => Promise<void>;
  onCancel: () => void;
}) {
  const form = useForm<RuleFormValues>({
    resolver: zodResolver(ruleFormSchema),
    defaultValues: initialValues(rule, kinds),
    mode: "onTouched",
  });
  const [failure, setFailure] = useState<ApiError | null>(null);
  const kind = form.watch("kind");
  const webhookUrl = form.watch("webhookUrl");
  const { min, max } = THRESHOLD_RANGES[kind];

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await onSubmit(values);
    } catch (e) {
      const error = e as ApiError;
      const fieldErrors = error.data?.fieldErrors ?? [];
      let shown = false;
      for (const f of fieldErrors) {
        const target = SERVER_FIELDS.find((s) => f.field.startsWith(s.prefix));
        if (!target) continue;
        form.setError(target.name, { message: `${target.label} ${f.message}` }, { shouldFocus: !shown });
        shown = true;
      }
      if (!shown) setFailure(error);
    }
  });

  return (
    <form className="rule-form" onSubmit={(e) => void submit(e)} noValidate>
      {rule ? (
        <p>
          <strong>{KIND_WORDS[rule.kind].name}</strong>
          <span className="muted small block">{KIND_WORDS[rule.kind].description}</span>
        </p>
      ) : (
        <Controller
          control={form.control}
          name="kind"
          render={({ field }) => (
            <Select
              className="field"
              selectedKey={field.value}
              onSelectionChange={(key: Key | null) => {
                if (typeof key !== "string") return;
                field.onChange(key);
                if (form.formState.isSubmitted) void form.trigger("thresholds");
              }}
            >
              <Label>What to watch</Label>
              <Button className="secondary select-button" ref={field.ref}>
                <SelectValue />
                <span aria-hidden="true"> ▾</span>
              </Button>
              <Text slot="description" className="description">
                {KIND_WORDS[field.value].description}
              </Text>
              <Popover className="popover">
                <ListBox className="listbox" items={kinds.map((k) => ({ id: k, name: KIND_WORDS[k].name }))}>
                  {(item) => (
                    <ListBoxItem id={item.id} textValue={item.name} className="listbox-item">
                      {item.name}
                    </ListBoxItem>
                  )}
                </ListBox>
              </Popover>
            </Select>
          )}
        />
      )}

      <Controller
        control={form.control}
        name="thresholds"
        render={({ field, fieldState }) => (
          <TextField
            className="field"
            name={field.name}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            isInvalid={fieldState.invalid}
            validationBehavior="aria"
          >
            <Label>Alert at ({unitWords(kind)})</Label>
            <Input ref={field.ref} inputMode="numeric" autoComplete="off" />
            <Text slot="description" className="description">
              Whole numbers from {min} to {max}, separated by commas: one alert the first time each is reached
              {kind === "monthly_cost" ? " in a month" : " in a day"}.
            </Text>
            <FieldError className="field-error">{fieldState.error?.message}</FieldError>
          </TextField>
        )}
      />

      <Controller
        control={form.control}
        name="webhookUrl"
        render={({ field, fieldState }) => (
          <TextField
            className="field"
            type="url"
            name={field.name}
            value={field.value}
            onChange={field.onChange}
            onBlur={field.onBlur}
            isInvalid={fieldState.invalid}
            validationBehavior="aria"
          >
            <Label>Webhook URL (optional)</Label>
            <Input ref={field.ref} placeholder="https://hooks.example.com/wedsync" autoComplete="url" />
            <Text slot="description" className="description">
              Each alert is also sent here, signed with a secret you see once after saving. Leave empty to see
              alerts in the app only.
            </Text>
            <FieldError className="field-error">{fieldState.error?.message}</FieldError>
          </TextField>
        )}
      />

      {rule?.hasWebhookSecret && webhookUrl.trim() !== "" && (
        <Controller
          control={form.control}
          name="replaceSecret"
          render={({ field }) => (
            <Checkbox className="checkbox" isSelected={field.value} onChange={field.onChange}>
              <span className="box" aria-hidden="true" />
              Replace the signing secret (the new one is shown once; the old one stops working)
            </Checkbox>
          )}
        />
      )}

      <Controller
        control={form.control}
        name="enabled"
        render={({ field }) => (
          <Switch className="switch" isSelected={field.value} onChange={field.onChange}>
            <span className="indicator" aria-hidden="true" />
            Rule is on
          </Switch>
        )}
      />

      {failure && <ApiErrorNotice error={failure} />}
      <div className="dialog-actions">
        <Button className="secondary" onPress={onCancel} isDisabled={form.formState.isSubmitting}>
          Cancel
        </Button>
        <Button type="submit" className="primary" isDisabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? "Saving…" : submitLabel}
        </Button>
      </div>
    </form>
  );
}
