import { Link } from "@tanstack/react-router";
import { EmptyState, Page } from "@wedsync/ui/Page";
import { useOrg } from "../../lib/org";

/**
 * What a member sees at an owners-and-admins address (a shared link, a bookmark): the reason in
 * words and where to go instead, never an error. No query is sent: the API would refuse it.
 */
export function OwnersOnly({ title, what }: { title: string; what: string }) {
  const org = useOrg();
  return (
    <Page title={title}>
      <EmptyState title={`Only owners and admins can see ${what}`}>
        <p>
          You are a member of {org.name}. Ask one of its owners or admins if you need something from {what},
          or to change your role.
        </p>
        <p>
          <Link to="/o/$orgId/quotas" params={{ orgId: org.id }}>
            See this month's usage and live cost
          </Link>
        </p>
      </EmptyState>
    </Page>
  );
}
