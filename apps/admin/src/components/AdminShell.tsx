import { Link } from "@tanstack/react-router";
import { TopBar } from "@wedsync/ui/TopBar";
import type { Session } from "@wedsync/ui/trpc";
import type { ReactNode } from "react";
import { AdminNav } from "./AdminNav";

/** Every staff screen: the banner (who, sign out), the sections, and the screen itself. */
export function AdminShell({ session, children }: { session: Session; children: ReactNode }) {
  return (
    <>
      <TopBar
        brand={
          <Link to="/organizations">
            WedSync <span className="product">Admin</span>
          </Link>
        }
        user={session.user}
        userRole="Platform staff"
      />
      <div className="shell">
        <AdminNav />
        <main className="page" id="main">
          {children}
        </main>
      </div>
    </>
  );
}
