import { createFileRoute } from "@tanstack/react-router";
import { Page } from "../../../../components/Page";

export const Route = createFileRoute("/o/$orgId/billing/")({ component: Screen });

function Screen() {
  return <Page title="Billing">{null}</Page>;
}
