import { SessionGate } from "@wedsync/ui/SessionGate";
import type { Session } from "@wedsync/ui/trpc";
import type { ReactNode } from "react";
import { StaffOnly } from "./StaffOnly";

const LOGIN = { title: "Sign in to WedSync Admin", intro: "For WedSync platform staff." };

/**
 * The sign-in form until someone is signed in (at the same address, so a deep link survives
 * sign-in), a "staff only" page for anyone who is not platform staff, else the app.
 */
export function StaffGate({ children }: { children: (session: Session) => ReactNode }) {
  return (
    <SessionGate login={LOGIN}>
      {(session) => (session.user.isPlatformStaff ? children(session) : <StaffOnly user={session.user} />)}
    </SessionGate>
  );
}
