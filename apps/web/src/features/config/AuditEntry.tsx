import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { actionWords, auditDiff, featureOf, rollbackChanges } from "@wedsync/ui/audit";
import { ConfirmDialog } from "@wedsync/ui/ConfirmDialog";
import { DiffList } from "@wedsync/ui/DiffList";
import type { ApiError } from "@wedsync/ui/errors";
import { featureWords } from "@wedsync/ui/words";
import { useState } from "react";
import type { AuditRow, PlatformFeature } from "./types";

export function whenWords(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(at);
}

/**
 * One change in the history: who, when and what in words, its diff, and (for the organization's
 * own settings) "Roll back to this version" behind a confirmation that lists exactly what will
 * change from the settings stored now.
 */
export function AuditEntry({
  entry,
  who,
  timeZone,
  current,
  canRollback,
  onRollback,
}: {
  entry: AuditRow;
  who: string;
  timeZone: string;
  /** The feature's stored settings now (for platform entries), to say what a rollback changes. */
  current: PlatformFeature | undefined;
  canRollback: boolean;
  onRollback: (auditId: number, expectedVersion: number) => Promise<unknown>;
}) {
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  const diff = auditDiff(entry);
  const feature = featureOf(entry);
  const name = feature ? featureWords(feature) : "this feature";
  const platform = entry.entityKind === "platform_config";
  const restores = platform && current ? rollbackChanges(current, entry) : [];
  const createdAt = new Date(entry.createdAt);

  return (
    <li className="audit-entry" data-audit-id={entry.id}>
      <p className="audit-head">
        <strong>{who}</strong> {actionWords(entry)}
        <span className="muted small">
          {" "}
          · <time dateTime={createdAt.toISOString()}>{whenWords(createdAt, timeZone)}</time> · version{" "}
          {entry.version}
        </span>
      </p>
      {diff.length > 0 ? (
        <DiffList lines={diff} label={`Changes in version ${entry.version} of ${name}`} />
      ) : (
        <p className="muted small">No setting changed.</p>
      )}
      {platform &&
        canRollback &&
        current &&
        (restores.length === 0 ? (
          <p className="muted small">The settings stored now already match this version.</p>
        ) : (
          <ConfirmDialog
            trigger={
              <>
                Roll back to this version{" "}
                <span className="visually-hidden">
                  ({name}, version {entry.version})
                </span>
              </>
            }
            title={`Roll ${name} back to version ${entry.version}?`}
            confirmLabel="Roll back"
            pending={pending}
            onConfirm={async () => {
              setError(null);
              setPending(true);
              try {
                await onRollback(entry.id, current.version);
              } catch (e) {
                setError(e as ApiError);
                throw e;
              } finally {
                setPending(false);
              }
            }}
          >
            <p>These settings of {name} will change from what is stored now:</p>
            <DiffList lines={restores} label="What the rollback changes" />
            <p className="muted small">
              The rollback is recorded as a new change, so it can itself be rolled back. Client overrides
              above the restored limits are lowered to fit.
            </p>
            {error && <ApiErrorNotice error={error} />}
          </ConfirmDialog>
        ))}
    </li>
  );
}
