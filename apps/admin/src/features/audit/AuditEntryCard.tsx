import { Link } from "@tanstack/react-router";
import { actionWords, auditDiff } from "@wedsync/ui/audit";
import { DiffList } from "@wedsync/ui/DiffList";
import { featureWords } from "@wedsync/ui/words";
import { Button } from "react-aria-components";
import { type AdminAuditEntry, whenWords, whoWords } from "./words";

/**
 * One change: the organization (its page one click away), who made it (marked when platform
 * staff), what in words, when, its diff, and for an organization's own settings "Roll back to
 * this version" (the screen's confirmation says what that changes).
 */
export function AuditEntryCard({
  entry,
  timeZone,
  onRollback,
}: {
  entry: AdminAuditEntry;
  timeZone: string;
  onRollback: (entry: AdminAuditEntry) => void;
}) {
  const who = whoWords(entry.actor);
  const diff = auditDiff(entry);
  const createdAt = new Date(entry.createdAt);
  const name = entry.featureType ? featureWords(entry.featureType) : "these settings";
  return (
    <li className="audit-entry" data-audit-id={entry.id}>
      <p className="audit-org">
        <Link to="/organizations/$orgId" params={{ orgId: entry.organizationId }}>
          {entry.organizationName}
        </Link>
      </p>
      <p className="audit-head">
        <strong>{who.name}</strong>
        {who.staff && <span className="badge staff-badge">Platform staff</span>} {actionWords(entry)}
        <span className="muted small">
          {" "}
          · <time dateTime={createdAt.toISOString()}>{whenWords(createdAt, timeZone)}</time> · version{" "}
          {entry.version}
        </span>
      </p>
      {diff.length > 0 ? (
        <DiffList
          lines={diff}
          label={`Changes in version ${entry.version} of ${name} at ${entry.organizationName}`}
        />
      ) : (
        <p className="muted small">No setting changed.</p>
      )}
      {entry.entityKind === "platform_config" && (
        <Button className="secondary" onPress={() => onRollback(entry)}>
          Roll back to this version{" "}
          <span className="visually-hidden">
            ({name} at {entry.organizationName}, version {entry.version})
          </span>
        </Button>
      )}
    </li>
  );
}
