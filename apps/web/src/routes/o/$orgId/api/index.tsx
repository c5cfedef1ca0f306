import { createFileRoute } from "@tanstack/react-router";
import { OverviewScreen } from "../../../../features/api/OverviewScreen";

export const Route = createFileRoute("/o/$orgId/api/")({ component: OverviewScreen });
