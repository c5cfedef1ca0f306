import { createFileRoute } from "@tanstack/react-router";
import { Page } from "../../../components/Page";

export const Route = createFileRoute("/o/$orgId/analytics")({ component: Screen });

function Screen() {
  return <Page title="Usage analytics">{null}</Page>;
}
