import { createFileRoute } from "@tanstack/react-router";
import { Page } from "../../../components/Page";

export const Route = createFileRoute("/o/$orgId/quotas")({ component: Screen });

function Screen() {
  return <Page title="Quotas and live cost">{null}</Page>;
}
