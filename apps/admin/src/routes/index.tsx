import { createFileRoute, redirect } from "@tanstack/react-router";

/** "/admin/" opens the list of organizations, where staff start. */
export const Route = createFileRoute("/")({
  beforeLoad: () => {
    throw redirect({ to: "/organizations", replace: true });
  },
});
