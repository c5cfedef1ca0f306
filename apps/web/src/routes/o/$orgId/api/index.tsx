import { createFileRoute } from "@tanstack/react-router";
import { Page } from "../../../../components/Page";

export const Route = createFileRoute("/o/$orgId/api/")({ component: Screen });

function Screen() {
  return <Page title="API and keys">{null}</Page>;
}
