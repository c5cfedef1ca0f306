import { createRootRouteWithContext, Outlet } from "@tanstack/react-router";
import { NotificationRegion } from "@wedsync/ui/Notifications";
import { AppNameContext } from "@wedsync/ui/Page";
import { AdminShell } from "../components/AdminShell";
import { NotFound } from "../components/NotFound";
import { StaffGate } from "../components/StaffGate";
import type { RouterContext } from "../lib/clients";

export const Route = createRootRouteWithContext<RouterContext>()({
  // Ask who is signed in while the screen's code is still downloading, not after it has run.
  loader: ({ context }) => {
    void context.queries.auth.session.prefetch();
  },
  component: Root,
  // Rendered in the root's outlet: inside the staff shell, after the staff check.
  notFoundComponent: () => <NotFound />,
});

function Root() {
  return (
    <AppNameContext.Provider value="WedSync Admin">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <StaffGate>
        {(session) => (
          <AdminShell session={session}>
            <Outlet />
          </AdminShell>
        )}
      </StaffGate>
      <NotificationRegion />
    </AppNameContext.Provider>
  );
}
