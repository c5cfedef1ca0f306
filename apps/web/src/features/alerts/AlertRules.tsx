import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { notify } from "@wedsync/ui/Notifications";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";
import { Button } from "react-aria-components";
import { FormDialog } from "./FormDialog";
import { RuleForm } from "./RuleForm";
import { RulesTable } from "./RulesTable";
import { needsNewSecret, newSigningSecret, type RuleFormValues, ruleInput } from "./rule-form";
import { SecretOnce } from "./SecretOnce";
import { ALERT_KINDS, type AlertRule, KIND_WORDS } from "./words";

/** Alert rules: list, create, edit, delete; a new signing secret is shown once, then forgotten. */
export function AlertRules({ organizationId }: { organizationId: string }) {
  const utils = trpc.useUtils();
  const rules = trpc.alerts.rules.list.useQuery({ organizationId });
  const create = trpc.alerts.rules.create.useMutation();
  const update = trpc.alerts.rules.update.useMutation();
  const remove = trpc.alerts.rules.delete.useMutation();
  const [editing, setEditing] = useState<AlertRule | "new" | null>(null);
  const [shown, setShown] = useState<{ secret: string; webhookUrl: string } | null>(null);

  if (rules.isPending) return <Loading label="Loading alert rules…" />;
  if (rules.error) return <ApiErrorNotice error={rules.error} onRetry={() => void rules.refetch()} />;

  const freeKinds = ALERT_KINDS.filter((k) => !rules.data.some((r) => r.kind === k));
  const rule = editing === "new" ? undefined : (editing ?? undefined);

  const save = async (values: RuleFormValues) => {
    const secret = needsNewSecret(values, rule) ? newSigningSecret() : undefined;
    const input = ruleInput(values);
    const name = KIND_WORDS[rule?.kind ?? values.kind].name;
    if (rule) {
      await update.mutateAsync({
        organizationId,
        id: rule.id,
        ...input,
        ...(secret && { webhookSecret: secret }),
      });
      notify({ title: "Alert rule saved", description: name, tone: "success" });
    } else {
      await create.mutateAsync({ organizationId, kind: values.kind, ...input, webhookSecret: secret });
      notify({ title: "Alert rule created", description: name, tone: "success" });
    }
    await utils.alerts.rules.list.invalidate({ organizationId });
    setEditing(null);
    if (secret && input.webhookUrl) setShown({ secret, webhookUrl: input.webhookUrl });
  };

  const drop = async (r: AlertRule) => {
    await remove.mutateAsync({ organizationId, id: r.id });
    await utils.alerts.rules.list.invalidate({ organizationId });
    notify({ title: "Alert rule deleted", description: KIND_WORDS[r.kind].name, tone: "success" });
  };

  return (
    <>
      <div className="toolbar">
        <Button className="primary" onPress={() => setEditing("new")} isDisabled={freeKinds.length === 0}>
          New alert rule
        </Button>
        {freeKinds.length === 0 && (
          <p className="muted small">Every kind has a rule: edit one to change its thresholds or webhook.</p>
        )}
      </div>
      <RulesTable rules={rules.data} onEdit={setEditing} onDelete={drop} />

      <FormDialog
        title={rule ? `Edit the ${KIND_WORDS[rule.kind].name} rule` : "New alert rule"}
        isOpen={editing !== null}
        onOpenChange={(open) => {
          if (!open) setEditing(null);
        }}
      >
        <RuleForm
          key={rule?.id ?? "new"}
          rule={rule}
          kinds={freeKinds}
          submitLabel={rule ? "Save rule" : "Create rule"}
          onSubmit={save}
          onCancel={() => setEditing(null)}
        />
      </FormDialog>

      <FormDialog
        title="Your webhook signing secret"
        isOpen={shown !== null}
        onOpenChange={() => {}}
        dismissable={false}
      >
        {shown && (
          <SecretOnce secret={shown.secret} webhookUrl={shown.webhookUrl} onDone={() => setShown(null)} />
        )}
      </FormDialog>
    </>
  );
}
