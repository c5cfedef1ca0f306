import { createFileRoute } from "@tanstack/react-router";
import { BillingScreen } from "../../../../features/billing/BillingScreen";
import { OwnersOnly } from "../../../../features/billing/OwnersOnly";
import { useOrg } from "../../../../lib/org";

export const Route = createFileRoute("/o/$orgId/billing/")({ component: Screen });

function Screen() {
  const org = useOrg();
  return org.canAdmin ? <BillingScreen /> : <OwnersOnly title="Billing" what="billing" />;
}
