import { createFileRoute, Navigate } from "@tanstack/react-router";
import { SignedIn } from "../components/SignedIn";

export const Route = createFileRoute("/")({ component: Home });

/** "/" goes to the configuration of the organization this person last worked in. */
function Home() {
  return (
    <SignedIn>
      {(session) =>
        session.currentOrganizationId ? (
          <Navigate to="/o/$orgId/config" params={{ orgId: session.currentOrganizationId }} replace />
        ) : (
          <main className="page" id="main">
            <h1>No organization yet</h1>
            <p>You are not a member of any organization, so there is nothing to configure yet.</p>
            {session.user.isPlatformStaff && (
              <p>
                As platform staff, use the <a href="/admin/">admin app</a> to see every organization.
              </p>
            )}
          </main>
        )
      }
    </SignedIn>
  );
}
