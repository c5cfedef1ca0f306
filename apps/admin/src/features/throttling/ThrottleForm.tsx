import { FEATURE_TYPES, THROTTLE_BOUNDS, type ThrottleMode, type ThrottleScope } from "@wedsync/core/domain";
import { formatCount } from "@wedsync/ui/format";
import { featureWords } from "@wedsync/ui/words";
import { type ReactNode, useMemo } from "react";
import {
  Button,
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Radio,
  RadioGroup,
  Select,
  SelectValue,
  Text,
  TextArea,
  TextField,
} from "react-aria-components";
import { Controller, useForm } from "react-hook-form";
import { DateTimeField } from "../../components/DateTimeField";
import { OrganizationPicker, type PickedOrganization } from "./OrganizationPicker";
import {
  DURATIONS,
  type Ends,
  emptyValues,
  type ThrottleProposal,
  type ThrottleValues,
  throttleResolver,
} from "./throttle-form";

const SCOPES: { id: ThrottleScope; label: string; description: string }[] = [
  { id: "organization", label: "One organization", description: "Every feature of one supplier." },
  { id: "feature", label: "One feature, every organization", description: "For example a failing provider." },
  { id: "platform", label: "The whole platform", description: "Every feature of every organization." },
];
const MODES: { id: ThrottleMode; label: string }[] = [
  { id: "refuse", label: "Refuse new AI requests" },
  { id: "cap", label: "Limit AI requests to a number a minute" },
];
const ENDS: { id: Ends; label: string }[] = [
  { id: "never", label: "Until lifted by hand" },
  { id: "after", label: "After a while" },
  { id: "at", label: "At a day and time" },
];

/**
 * The form to set an emergency throttle: whom it reaches, what happens to their requests, why,
 * and when it ends. Checked by core's throttle schema as staff type; a valid form goes to
 * `onReview` (the confirmation), never straight to the server.
 */
export function ThrottleForm({
  initialOrganization = null,
  now = () => new Date(),
  onReview,
}: {
  initialOrganization?: PickedOrganization | null;
  now?: () => Date;
  onReview: (proposal: ThrottleProposal) => void;
}) {
  const resolver = useMemo(() => throttleResolver(now), [now]);
  const { control, handleSubmit, watch, setValue } = useForm<ThrottleValues, unknown, ThrottleProposal>({
    defaultValues: emptyValues(initialOrganization),
    resolver,
    mode: "onTouched",
  });
  const [scope, mode, ends] = watch(["scope", "mode", "ends"]);

  return (
    <form className="th-form" aria-label="Set a throttle" noValidate onSubmit={handleSubmit(onReview)}>
      <Controller
        control={control}
        name="scope"
        render={({ field }) => (
          <Choice label="Throttle" value={field.value} onChange={field.onChange} options={SCOPES} />
        )}
      />
      {scope === "organization" && (
        <Controller
          control={control}
          name="organizationId"
          render={({ field, fieldState }) => (
            <OrganizationPicker
              value={field.value ? { id: field.value, name: watch("organizationName") } : null}
              onChange={(org) => {
                field.onChange(org?.id ?? "");
                setValue("organizationName", org?.name ?? "");
              }}
              onBlur={field.onBlur}
              error={fieldState.error?.message}
            />
          )}
        />
      )}
      {scope === "feature" && (
        <Controller
          control={control}
          name="featureType"
          render={({ field, fieldState }) => (
            <Select
              className="field"
              selectedKey={field.value || null}
              onSelectionChange={(key) => field.onChange(key ?? "")}
              onBlur={field.onBlur}
              isInvalid={fieldState.invalid}
              validationBehavior="aria"
              placeholder="Choose a feature"
            >
              <Label>Feature</Label>
              <Button className="secondary select-button">
                <SelectValue />
                <span aria-hidden="true"> ▾</span>
              </Button>
              <FieldError className="field-error">{fieldState.error?.message}</FieldError>
              <Popover className="popover">
                <ListBox className="listbox">
                  {FEATURE_TYPES.map((f) => (
                    <ListBoxItem key={f} id={f} className="listbox-item">
                      {featureWords(f)}
                    </ListBoxItem>
                  ))}
                </ListBox>
              </Popover>
            </Select>
          )}
        />
      )}
      <Controller
        control={control}
        name="mode"
        render={({ field }) => (
          <Choice label="What happens" value={field.value} onChange={field.onChange} options={MODES} />
        )}
      />
      {mode === "cap" && (
        <Controller
          control={control}
          name="perMinute"
          render={({ field, fieldState }) => (
            <TextField
              className="field th-narrow"
              name={field.name}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              inputMode="numeric"
              isInvalid={fieldState.invalid}
              validationBehavior="aria"
            >
              <Label>Requests a minute</Label>
              <Input ref={field.ref} />
              <Text slot="description" className="description">
                {scope === "organization"
                  ? "Counted across every server"
                  : "In total, shared by every organization, counted across every server"}
                ; from {formatCount(THROTTLE_BOUNDS.perMinuteMin)} to{" "}
                {formatCount(THROTTLE_BOUNDS.perMinuteMax)}.
              </Text>
              <FieldError className="field-error">{fieldState.error?.message}</FieldError>
            </TextField>
          )}
        />
      )}
      <Controller
        control={control}
        name="reason"
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
            <Label>Reason</Label>
            <TextArea ref={field.ref} rows={2} />
            <Text slot="description" className="description">
              Shown to every organization affected and kept in the audit; at most {THROTTLE_BOUNDS.reasonMax}{" "}
              characters.
            </Text>
            <FieldError className="field-error">{fieldState.error?.message}</FieldError>
          </TextField>
        )}
      />
      <Controller
        control={control}
        name="ends"
        render={({ field }) => (
          <Choice label="Ends" value={field.value} onChange={field.onChange} options={ENDS} />
        )}
      />
      {ends === "after" && (
        <Controller
          control={control}
          name="durationMinutes"
          render={({ field, fieldState }) => (
            <Select
              className="field th-narrow"
              selectedKey={field.value}
              onSelectionChange={(key) => field.onChange(String(key))}
              isInvalid={fieldState.invalid}
              validationBehavior="aria"
            >
              <Label>Lasts</Label>
              <Button className="secondary select-button">
                <SelectValue />
                <span aria-hidden="true"> ▾</span>
              </Button>
              <Text slot="description" className="description">
                From the moment you confirm.
              </Text>
              <FieldError className="field-error">{fieldState.error?.message}</FieldError>
              <Popover className="popover">
                <ListBox className="listbox">
                  {DURATIONS.map((d) => (
                    <ListBoxItem key={d.minutes} id={String(d.minutes)} className="listbox-item">
                      {d.label}
                    </ListBoxItem>
                  ))}
                </ListBox>
              </Popover>
            </Select>
          )}
        />
      )}
      {ends === "at" && (
        <Controller
          control={control}
          name="endsAt"
          render={({ field, fieldState }) => (
            <DateTimeField
              label="Ends at"
              description="Your time zone; in the future, within a year."
              name={field.name}
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              error={fieldState.error?.message}
              notBefore={now()}
            />
          )}
        />
      )}
      <div className="th-actions">
        <Button type="submit" className="primary">
          Review the throttle
        </Button>
      </div>
    </form>
  );
}

/** A choice among a few options, shown all at once (React Aria radio group). */
function Choice<T extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: T;
  onChange: (value: T) => void;
  options: { id: T; label: string; description?: string }[];
}): ReactNode {
  return (
    <RadioGroup className="field th-choice" value={value} onChange={(v) => onChange(v as T)}>
      <Label>{label}</Label>
      <div className="th-options">
        {options.map((o) => (
          <Radio key={o.id} value={o.id} className="th-radio">
            <span>
              {o.label}
              {o.description && <span className="description block">{o.description}</span>}
            </span>
          </Radio>
        ))}
      </div>
    </RadioGroup>
  );
}
