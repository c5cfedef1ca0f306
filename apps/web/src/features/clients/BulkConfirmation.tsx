import { Button } from "react-aria-components";
import { changeWords, type PlannedClient } from "./bulk";

export interface BulkProblem {
  summary: string;
  problems: string[];
  /** A lost race: the list can be refreshed and the change reviewed again. */
  canRefresh: boolean;
}

/**
 * The body of the bulk confirmation: every chosen client and every value that will change for it
 * (from → to), or that it already has the value; then, if the API refused, why, by client name.
 */
export function BulkConfirmation({
  feature,
  plan,
  problem,
  onRefresh,
}: {
  feature: string;
  plan: readonly PlannedClient[];
  problem: BulkProblem | null;
  onRefresh: () => void;
}) {
  const changing = plan.filter((p) => p.changes.length > 0).length;
  return (
    <>
      <p>
        {changing === 0
          ? `Every chosen client already has this ${feature} setting: nothing will change.`
          : `${feature} changes for ${changing} of the ${plan.length} chosen ${plan.length === 1 ? "client" : "clients"}. All or nothing: if one cannot be changed, none is.`}
      </p>
      <ul className="cl-bulk-list" aria-label="Changes by client">
        {plan.map((p) => (
          <li key={p.clientId}>
            <strong>{p.name}</strong>
            {p.changes.length === 0 ? (
              <span className="muted"> — already set, no change</span>
            ) : (
              <ul>
                {p.changes.map((c) => (
                  <li key={c.field}>{changeWords(c)}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {problem && (
        <div className="notice notice-error" role="alert">
          <p>{problem.summary}</p>
          {problem.problems.length > 0 && (
            <ul>
              {problem.problems.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          {problem.canRefresh ? (
            <Button className="secondary" onPress={onRefresh}>
              Refresh and review again
            </Button>
          ) : (
            <p className="hint">Change the values, or leave those clients out, and try again.</p>
          )}
        </div>
      )}
    </>
  );
}
