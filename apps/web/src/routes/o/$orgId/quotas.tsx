import { createFileRoute } from "@tanstack/react-router";
import { QuotasScreen } from "../../../features/usage/QuotasScreen";

export const Route = createFileRoute("/o/$orgId/quotas")({ component: QuotasScreen });
