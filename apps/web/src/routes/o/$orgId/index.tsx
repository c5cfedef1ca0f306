import { createFileRoute, redirect } from "@tanstack/react-router";

export const Route = createFileRoute("/o/$orgId/")({
  beforeLoad: ({ params }) => {
    throw redirect({ to: "/o/$orgId/config", params, replace: true });
  },
});
