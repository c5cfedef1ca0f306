import { createRootRouteWithContext, Outlet } from "@tanstack/react-router";
import { NotificationRegion } from "@wedsync/ui/Notifications";
import { NotFound } from "../components/NotFound";
import type { RouterContext } from "../lib/clients";

export const Route = createRootRouteWithContext<RouterContext>()({
  // Ask who is signed in while the screen's code is still downloading, not after it has run.
  loader: ({ context }) => {
    void context.queries.auth.session.prefetch();
  },
  component: Root,
  notFoundComponent: () => <NotFound />,
});

function Root() {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Outlet />
      <NotificationRegion />
    </>
  );
}
