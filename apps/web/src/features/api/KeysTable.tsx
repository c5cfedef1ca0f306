import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { ConfirmDialog } from "@wedsync/ui/ConfirmDialog";
import type { ApiError } from "@wedsync/ui/errors";
import type { RouterOutputs } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { useState } from "react";
import { KEY_ROLE_WORDS } from "./words";

export type ApiKey = RouterOutputs["apiKeys"]["list"][number];

const when = (d: Date | string | null) =>
  d === null ? null : new Date(d).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

function RevokeKey({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: (key: ApiKey) => Promise<unknown> }) {
  const [error, setError] = useState<ApiError | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <ConfirmDialog
      trigger={
        <span>
          Revoke<span className="visually-hidden"> {apiKey.name}</span>
        </span>
      }
      title={`Revoke “${apiKey.name}”?`}
      confirmLabel="Revoke key"
      destructive
      pending={pending}
      onConfirm={async () => {
        setPending(true);
        setError(null);
        try {
          await onRevoke(apiKey);
        } catch (err) {
          setError(err as ApiError);
          throw err;
        } finally {
          setPending(false);
        }
      }}
    >
      <p>
        Anything using this key stops working at once: its requests are refused as not signed in. This cannot
        be undone; create a new key to replace it.
      </p>
      {error && <ApiErrorNotice error={error} />}
    </ConfirmDialog>
  );
}

/** The organization's keys, newest first: what each may do, when it was last used, revoke. */
export function KeysTable({
  keys,
  onRevoke,
}: {
  keys: ApiKey[];
  onRevoke: (key: ApiKey) => Promise<unknown>;
}) {
  return (
    <div className="table-scroll api-table">
      <table className="data">
        <caption className="visually-hidden">API keys of the organization</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Role</th>
            <th scope="col">Default feature</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id} data-key-id={k.id}>
              <th scope="row">{k.name}</th>
              <td>
                <code>{k.prefix}…</code>
              </td>
              <td>{KEY_ROLE_WORDS[k.role as "admin" | "member"] ?? k.role}</td>
              <td>{k.defaultFeature ? featureWords(k.defaultFeature) : "None (field extraction)"}</td>
              <td>{when(k.createdAt)}</td>
              <td>{when(k.lastUsedAt) ?? "Never"}</td>
              <td>
                {k.revokedAt ? (
                  <span className="pill pill-off">Revoked {when(k.revokedAt)}</span>
                ) : (
                  <span className="pill pill-on">Active</span>
                )}
              </td>
              <td>{!k.revokedAt && <RevokeKey apiKey={k} onRevoke={onRevoke} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
