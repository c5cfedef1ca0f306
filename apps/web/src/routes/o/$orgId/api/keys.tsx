import { createFileRoute } from "@tanstack/react-router";
import { KeysScreen } from "../../../../features/api/KeysScreen";

export const Route = createFileRoute("/o/$orgId/api/keys")({ component: KeysScreen });
