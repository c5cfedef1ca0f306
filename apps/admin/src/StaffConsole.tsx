import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { TopBar } from "@wedsync/ui/TopBar";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";
import { OrganizationConfig } from "./OrganizationConfig";
import { OrganizationTable } from "./OrganizationTable";
import { ProviderHealth } from "./ProviderHealth";
import { ServiceLevels } from "./ServiceLevels";
import { useSelectedOrganization } from "./selection";

/** Platform staff: every organization, the configuration of the one selected, and provider health. */
export function StaffConsole({ user }: { user: { name: string; email: string } }) {
  const organizations = trpc.admin.organizations.list.useQuery();
  const [selectedId, select] = useSelectedOrganization();
  const [chosenHere, setChosenHere] = useState(false);

  return (
    <>
      <TopBar product="Admin" user={user} />
      <main className="page">
        <h1>Organizations</h1>
        {organizations.isPending ? (
          <Loading label="Loading organizations…" />
        ) : organizations.error ? (
          <ErrorNotice error={organizations.error} onRetry={() => void organizations.refetch()} />
        ) : (
          <OrganizationTable
            organizations={organizations.data}
            selectedId={selectedId}
            onSelect={(id) => {
              setChosenHere(true);
              select(id);
            }}
          />
        )}
        {selectedId ? (
          <OrganizationConfig key={selectedId} organizationId={selectedId} autoFocus={chosenHere} />
        ) : (
          <p className="muted hint">Choose an organization above to see its AI platform configuration.</p>
        )}
        <h2>AI providers</h2>
        <ProviderHealth />
        <h2>Service levels</h2>
        <ServiceLevels />
      </main>
    </>
  );
}
