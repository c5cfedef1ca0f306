import { Page } from "@wedsync/ui/Page";
import { LiveBadge } from "../../lib/live";
import { useOrg } from "../../lib/org";
import { AlertHistory } from "./AlertHistory";
import { AlertRules } from "./AlertRules";

/** Alerts for owners and admins: the rules, and the history with new alerts arriving live. */
export function AlertsScreen() {
  const org = useOrg();
  return (
    <Page
      title="Alerts"
      lead="Be told when spend, failed requests or slow responses reach a level you choose: here, as a notification, and at your own webhook."
      actions={<LiveBadge />}
    >
      <section aria-labelledby="rules-heading">
        <h2 id="rules-heading">Rules</h2>
        <AlertRules organizationId={org.id} />
      </section>
      <section aria-labelledby="history-heading">
        <h2 id="history-heading">History</h2>
        <AlertHistory organizationId={org.id} timeZone={org.timezone} />
      </section>
    </Page>
  );
}
