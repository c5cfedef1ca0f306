import { createFileRoute } from "@tanstack/react-router";
import { Page } from "../../../components/Page";

export const Route = createFileRoute("/o/$orgId/config")({ component: Screen });

function Screen() {
  return <Page title="AI configuration">{null}</Page>;
}
