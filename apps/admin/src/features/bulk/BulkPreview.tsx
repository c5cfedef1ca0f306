import type { RouterOutputs } from "@wedsync/ui/trpc";
import { tierWords } from "@wedsync/ui/words";
import { plural } from "../organizations/words";
import { changeWords, fieldWords, productWords, valueWords } from "./words";

export type Preview = RouterOutputs["admin"]["bulk"]["preview"];

/** "Changes this organization" / "Changes all 3 organizations" / "Changes 2 of the 3 organizations". */
function changingWords(changing: number, total: number): string {
  if (changing === total)
    return total === 1 ? "Changes this organization" : `Changes all ${total} organizations`;
  return `Changes ${changing} of the ${plural(total, "organization")} (the others already have it)`;
}

/**
 * The confirmation's list: every organization the change reaches, each value that changes there
 * (from → to) or that it is already set, the clients whose own settings would be lowered, and
 * what would refuse the change (then it is refused for all).
 */
export function BulkPreviewList({ preview }: { preview: Preview }) {
  const { totals } = preview;
  return (
    <>
      <p>
        {totals.problems > 0
          ? `This cannot be applied: ${plural(totals.problems, "organization")} cannot take it (named below). Leave ${totals.problems === 1 ? "it" : "them"} out and preview again.`
          : totals.changing === 0
            ? `Every one of the ${plural(totals.organizations, "organization")} already has this setting: nothing will change.`
            : `${changingWords(totals.changing, totals.organizations)}${totals.clampedClients > 0 ? `, and lowers the own settings of ${plural(totals.clampedClients, "client")}` : ""}. All or nothing: if one cannot be changed, none is.`}
      </p>
      <ul className="bulk-list" aria-label="Changes by organization">
        {preview.organizations.map((o) => (
          <li key={o.organizationId}>
            <strong>{o.name}</strong> <span className="muted small">{tierWords(o.tier)} tier</span>
            {o.problem ? (
              <p className="field-error bulk-problem">Cannot take this change: {productWords(o.problem)}</p>
            ) : o.changes.length === 0 ? (
              <span className="muted"> — already set, no change</span>
            ) : (
              <ul>
                {o.changes.map((c) => (
                  <li key={c.field}>{changeWords(c)}</li>
                ))}
              </ul>
            )}
            {o.clampedClients.length > 0 && (
              <>
                <p className="small bulk-clamped-title">Clients whose own settings are lowered to fit:</p>
                <ul className="small">
                  {o.clampedClients.map((c) => (
                    <li key={c.clientId}>
                      {c.clientName}: {c.changes.map((x) => changeWords(x)).join("; ")}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** CONFLICT's details from admin.bulk.update (the platform configuration as it is now). */
export interface ConflictDetails {
  stale?: Array<{
    organizationId: string;
    organizationName: string;
    expectedVersion: number;
    current: Record<string, unknown>;
  }>;
  added?: string[];
  removed?: string[];
}

/** A lost race: nothing was changed; what changed meanwhile, in the fields this change sets. */
export function BulkConflict({ details, fields }: { details: ConflictDetails; fields: readonly string[] }) {
  const stale = details.stale ?? [];
  const added = details.added?.length ?? 0;
  const removed = details.removed?.length ?? 0;
  return (
    <div className="notice bulk-conflict" role="alert">
      <p>
        <strong>Nothing was changed:</strong> the organizations changed since your preview. Preview again to
        see them as they are now, then apply.
      </p>
      <ul aria-label="Changed since the preview">
        {stale.map((s) => (
          <li key={s.organizationId}>
            {s.organizationName} was changed by someone else
            {fields.length > 0 &&
              `; now ${fields.map((f) => `${fieldWords(f).toLowerCase()} ${valueWords(f, s.current[f])}`).join(", ")}`}
            .
          </li>
        ))}
        {added > 0 && (
          <li>
            {plural(added, "organization")} now {added === 1 ? "matches" : "match"} the filter and{" "}
            {added === 1 ? "was" : "were"} not in your preview.
          </li>
        )}
        {removed > 0 && (
          <li>
            {plural(removed, "organization")} of your preview no longer {removed === 1 ? "matches" : "match"}{" "}
            the filter.
          </li>
        )}
      </ul>
    </div>
  );
}
