import { createFileRoute } from "@tanstack/react-router";
import { Page } from "../../../components/Page";

export const Route = createFileRoute("/o/$orgId/alerts")({ component: Screen });

function Screen() {
  return <Page title="Alerts">{null}</Page>;
}
