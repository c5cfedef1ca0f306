import { createFileRoute } from "@tanstack/react-router";
import { AlertsScreen } from "../../../features/alerts/AlertsScreen";
import { OwnersOnly } from "../../../features/billing/OwnersOnly";
import { useOrg } from "../../../lib/org";

export const Route = createFileRoute("/o/$orgId/alerts")({ component: Screen });

function Screen() {
  const org = useOrg();
  return org.canAdmin ? <AlertsScreen /> : <OwnersOnly title="Alerts" what="alerts" />;
}
