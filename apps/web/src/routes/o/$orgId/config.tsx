import { createFileRoute } from "@tanstack/react-router";
import { ConfigScreen } from "../../../features/config/ConfigScreen";

export const Route = createFileRoute("/o/$orgId/config")({ component: ConfigScreen });
