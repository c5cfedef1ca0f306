import { fieldWords, valueWords } from "@wedsync/ui/config-words";
import { featureWords } from "@wedsync/ui/words";
import { useEffect, useId, useRef } from "react";
import { Button } from "react-aria-components";
import { type Conflict, conflictRows, reapplyPatch } from "./conflict";
import type { ConfigPatch } from "./types";

/**
 * A save that lost a race: what the other person changed and what this person wanted, field by
 * field, then one click to apply this person's change on top of the stored version, or to keep
 * the other's. Its heading takes focus so the news is read first.
 */
export function ConflictView({
  conflict,
  pending,
  onReapply,
  onKeepTheirs,
}: {
  conflict: Conflict;
  pending: boolean;
  onReapply: (patch: ConfigPatch, expectedVersion: number) => void;
  onKeepTheirs: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useEffect(() => heading.current?.focus(), []);
  const name = featureWords(conflict.theirs.featureType);
  const rows = conflictRows(conflict);
  const patch = reapplyPatch(conflict);
  const nothingLeft = Object.keys(patch).length === 0;

  return (
    <section className="conflict" aria-labelledby={`${id}-title`} data-testid="conflict">
      <h4 id={`${id}-title`} ref={heading} tabIndex={-1}>
        Someone else changed {name} while you were editing
      </h4>
      <p>
        Your change was not saved: the settings you started from are no longer the stored ones. Compare them
        below, then apply your change on top of theirs, or keep theirs.
      </p>
      <div className="table-scroll">
        <table className="data">
          <caption>What changed, setting by setting</caption>
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">When you started</th>
              <th scope="col">Their value (saved)</th>
              <th scope="col">Your value</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.field} data-field={r.field}>
                <th scope="row">{fieldWords(r.field)}</th>
                <td>{valueWords(r.field, r.base)}</td>
                <td>{r.theyChanged ? <strong>{valueWords(r.field, r.theirs)}</strong> : "not changed"}</td>
                <td>{r.youChanged ? <strong>{valueWords(r.field, r.mine)}</strong> : "not changed"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {nothingLeft ? (
        <p>Their change already includes yours: there is nothing left to apply.</p>
      ) : (
        <p>
          Applying yours sets{" "}
          {Object.entries(patch)
            .map(([field, value]) => `${fieldWords(field).toLowerCase()} to ${valueWords(field, value)}`)
            .join(", ")}{" "}
          and keeps the rest of their change.
        </p>
      )}
      <div className="form-actions">
        {!nothingLeft && (
          <Button
            className="primary"
            isPending={pending}
            onPress={() => onReapply(patch, conflict.theirs.version)}
          >
            {pending ? "Applying…" : "Apply my change on top"}
          </Button>
        )}
        <Button className="secondary" isDisabled={pending} onPress={onKeepTheirs}>
          {nothingLeft ? "Done" : "Keep their version"}
        </Button>
      </div>
    </section>
  );
}
