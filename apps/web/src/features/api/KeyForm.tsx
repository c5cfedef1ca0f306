import { zodResolver } from "@hookform/resolvers/zod";
import { FEATURES, featureWords } from "@wedsync/ui/words";
import {
  Button,
  FieldError,
  Form,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Text,
  TextField,
} from "react-aria-components";
import { Controller, useForm } from "react-hook-form";
import { type KeyFormOutput, type KeyFormValues, keyFormDefaults, keyFormSchema } from "./key-form";

const ROLE_CHOICES = [
  { id: "member", label: "Member", note: "reads settings and usage, sends AI requests" },
  { id: "admin", label: "Admin", note: "also changes settings, billing, alerts and keys" },
] as const;

function ChoiceSelect({
  label,
  description,
  value,
  onChange,
  choices,
}: {
  label: string;
  description: string;
  value: string;
  onChange: (v: string) => void;
  choices: ReadonlyArray<{ id: string; label: string }>;
}) {
  return (
    <Select className="field" selectedKey={value} onSelectionChange={(k) => onChange(String(k))}>
      <Label>{label}</Label>
      <Button className="secondary select-button">
        <SelectValue />
        <span aria-hidden="true"> ▾</span>
      </Button>
      <Text slot="description" className="description">
        {description}
      </Text>
      <Popover className="popover">
        <ListBox className="listbox">
          {choices.map((c) => (
            <ListBoxItem key={c.id} id={c.id} className="listbox-item" textValue={c.label}>
              {c.label}
            </ListBoxItem>
          ))}
        </ListBox>
      </Popover>
    </Select>
  );
}

/** A new API key: its name, role and default feature, checked before anything is sent. */
export function KeyForm({
  onCreate,
  pending,
}: {
  onCreate: (values: KeyFormOutput) => Promise<void>;
  pending: boolean;
}) {
  const form = useForm<KeyFormValues, unknown, KeyFormOutput>({
    resolver: zodResolver(keyFormSchema),
    defaultValues: keyFormDefaults,
  });
  const submit = form.handleSubmit(async (values) => {
    try {
      await onCreate(values);
      form.reset(keyFormDefaults);
    } catch {
      // The caller shows the API's error; the values stay for another try.
    }
  });
  return (
    <Form className="api-key-form" onSubmit={(e) => void submit(e)} validationBehavior="aria">
      <div className="form-grid">
        <Controller
          control={form.control}
          name="name"
          render={({ field, fieldState }) => (
            <TextField
              className="field"
              value={field.value}
              onChange={field.onChange}
              onBlur={field.onBlur}
              isInvalid={fieldState.invalid}
              validationBehavior="aria"
            >
              <Label>Name</Label>
              <Input ref={field.ref} autoComplete="off" />
              <Text slot="description" className="description">
                What uses it, e.g. “Booking site”.
              </Text>
              <FieldError className="field-error">
                {fieldState.error && `Name: ${fieldState.error.message}`}
              </FieldError>
            </TextField>
          )}
        />
        <Controller
          control={form.control}
          name="role"
          render={({ field }) => (
            <ChoiceSelect
              label="Role"
              description={ROLE_CHOICES.map((c) => `${c.label}: ${c.note}`).join("; ")}
              value={field.value}
              onChange={field.onChange}
              choices={ROLE_CHOICES}
            />
          )}
        />
        <Controller
          control={form.control}
          name="defaultFeature"
          render={({ field }) => (
            <ChoiceSelect
              label="Default feature"
              description="What /v1/chat/completions runs when a request does not name a feature."
              value={field.value}
              onChange={field.onChange}
              choices={[
                { id: "none", label: "None (field extraction)" },
                ...FEATURES.map((f) => ({ id: f, label: featureWords(f) })),
              ]}
            />
          )}
        />
      </div>
      <div className="api-actions">
        <Button type="submit" className="primary" isPending={pending}>
          {pending ? "Creating…" : "Create key"}
        </Button>
      </div>
    </Form>
  );
}
