import { createFileRoute } from "@tanstack/react-router";
import { Page } from "../../../../components/Page";

export const Route = createFileRoute("/o/$orgId/clients/$clientId")({ component: Screen });

function Screen() {
  return <Page title="Client">{null}</Page>;
}
