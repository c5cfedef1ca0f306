import { Link } from "@tanstack/react-router";
import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import type { ApiError } from "@wedsync/ui/errors";
import { notify } from "@wedsync/ui/Notifications";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";
import { type Org, useOrg } from "../../lib/org";
import { ApiNav } from "./ApiNav";
import { KeyForm } from "./KeyForm";
import { KeysTable } from "./KeysTable";
import { type KeyFormOutput, keyToCreate } from "./key-form";
import { SecretOnce } from "./SecretOnce";

const LEAD = "Keys let your own services call the API and /v1 as your organization, without a password.";

export function KeysScreen() {
  const org = useOrg();
  return (
    <Page title="API keys" lead={LEAD}>
      <ApiNav />
      {org.canAdmin ? <ManageKeys org={org} /> : <MembersSeeWhy org={org} />}
    </Page>
  );
}

/** A member: why the keys are not here, and what they can do instead. */
function MembersSeeWhy({ org }: { org: Org }) {
  return (
    <EmptyState title="Only owners and admins can create or revoke API keys">
      <p>
        A key acts for the whole of {org.name}, so only its owners and admins manage them. Ask one of them for
        a key if a service of yours needs one.
      </p>
      <p>
        You can still call the API as yourself:{" "}
        <Link to="/o/$orgId/api/reference" params={{ orgId: org.id }}>
          try any procedure in the reference
        </Link>{" "}
        with your own session.
      </p>
    </EmptyState>
  );
}

/**
 * Creating a key: the form, then its secret shown once. The secret is kept in this component only
 * until the person says they have copied it; nothing else ever holds or shows it.
 */
export function NewKey({
  create,
  creating,
  error,
}: {
  create: (values: KeyFormOutput) => Promise<{ name: string; secret: string }>;
  creating: boolean;
  error: ApiError | null;
}) {
  const [fresh, setFresh] = useState<{ name: string; secret: string } | null>(null);
  return (
    <section className="panel" aria-labelledby="api-new-key">
      <h2 id="api-new-key">Create a key</h2>
      {error && <ApiErrorNotice error={error} />}
      <KeyForm pending={creating} onCreate={async (values) => setFresh(await create(values))} />
      {fresh && (
        <SecretOnce
          name={fresh.name}
          secret={fresh.secret}
          onDone={() => {
            setFresh(null);
            notify({
              title: "API key created",
              description: `“${fresh.name}” is ready to use.`,
              tone: "success",
            });
          }}
        />
      )}
    </section>
  );
}

function ManageKeys({ org }: { org: Org }) {
  const keys = trpc.apiKeys.list.useQuery({ organizationId: org.id });
  const create = trpc.apiKeys.create.useMutation();
  const revoke = trpc.apiKeys.revoke.useMutation();
  return (
    <>
      <NewKey
        creating={create.isPending}
        error={create.error as ApiError | null}
        create={async (values) => {
          const created = await create.mutateAsync({ organizationId: org.id, ...keyToCreate(values) });
          void keys.refetch();
          return { name: created.apiKey.name, secret: created.secret };
        }}
      />
      <section aria-labelledby="api-key-list">
        <h2 id="api-key-list">Keys</h2>
        {keys.isPending ? (
          <Loading label="Loading keys…" />
        ) : keys.error ? (
          <ApiErrorNotice error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.data.length === 0 ? (
          <EmptyState title="No API keys yet">
            <p>Create one above for each service that calls the API, so each can be revoked on its own.</p>
          </EmptyState>
        ) : (
          <KeysTable
            keys={keys.data}
            onRevoke={async (key) => {
              await revoke.mutateAsync({ organizationId: org.id, id: key.id });
              await keys.refetch();
              notify({
                title: "Key revoked",
                description: `“${key.name}” no longer works.`,
                tone: "success",
              });
            }}
          />
        )}
      </section>
    </>
  );
}
