import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmDialog } from "@wedsync/ui/ConfirmDialog";
import type { ApiError } from "@wedsync/ui/errors";
import { EmptyState } from "@wedsync/ui/Page";
import { useState } from "react";
import { Button } from "react-aria-components";
import { type AlertRule, KIND_WORDS, thresholdWords } from "./words";

/** The organization's rules: what each watches, its thresholds and webhook, and its actions. */
export function RulesTable({
  rules,
  onEdit,
  onDelete,
}: {
  rules: AlertRule[];
  onEdit: (rule: AlertRule) => void;
  onDelete: (rule: AlertRule) => Promise<unknown>;
}) {
  if (rules.length === 0) {
    return (
      <EmptyState title="No alert rules yet">
        <p>
          Create a rule to hear about spend, failed requests or slow responses as they happen, here and at a
          webhook of your own.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="table-scroll">
      <table className="data" data-testid="alert-rules">
        <caption>Alert rules (one per kind)</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Alert at</th>
            <th scope="col">Webhook</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => {
            const name = KIND_WORDS[r.kind].name;
            return (
              <tr key={r.id}>
                <th scope="row">
                  {name}
                  <span className="muted small block">{KIND_WORDS[r.kind].description}</span>
                </th>
                <td>{thresholdWords(r.kind, r.thresholds)}</td>
                <td className="wrap-anywhere">
                  {r.webhookUrl ? (
                    <>
                      {r.webhookUrl}
                      <span className="muted small block">
                        {r.hasWebhookSecret ? "Signed deliveries" : "No signing secret: nothing is sent"}
                      </span>
                    </>
                  ) : (
                    <span className="muted">None (in the app only)</span>
                  )}
                </td>
                <td>{r.enabled ? "On" : "Off"}</td>
                <td>
                  <div className="button-row">
                    <Button className="secondary" onPress={() => onEdit(r)}>
                      Edit<span className="visually-hidden"> the {name} rule</span>
                    </Button>
                    <DeleteRule rule={r} name={name} onDelete={onDelete} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Delete behind a confirmation that says what stops and what stays; a failure shows inside it. */
function DeleteRule({
  rule,
  name,
  onDelete,
}: {
  rule: AlertRule;
  name: string;
  onDelete: (rule: AlertRule) => Promise<unknown>;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <ConfirmDialog
      trigger={
        <>
          Delete<span className="visually-hidden"> the {name} rule</span>
        </>
      }
      title={`Delete the ${name} rule?`}
      confirmLabel="Delete rule"
      destructive
      onConfirm={async () => {
        setError(null);
        setPending(true);
        try {
          await onDelete(rule);
        } catch (e) {
          setError(e as ApiError);
          throw e;
        } finally {
          setPending(false);
        }
      }}
    >
      <p>
        No more {name.toLowerCase()} alerts will be raised{rule.webhookUrl ? " or sent to its webhook" : ""}.
        Alerts already raised stay in the history.
      </p>
      {pending && (
        <p role="status" className="muted">
          Deleting…
        </p>
      )}
      {error && <ApiErrorNotice error={error} />}
    </ConfirmDialog>
  );
}
