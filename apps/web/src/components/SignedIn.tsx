import { SessionGate } from "@wedsync/ui/SessionGate";
import type { Session } from "@wedsync/ui/trpc";
import type { ReactNode } from "react";
import { SessionContext } from "../lib/session";

const LOGIN = { title: "Sign in", intro: "Manage the AI features your wedding business uses." };

/** The sign-in form until someone is signed in, then the page (at the same address: deep links survive sign-in). */
export function SignedIn({ children }: { children: (session: Session) => ReactNode }) {
  return (
    <SessionGate login={LOGIN}>
      {(session) => <SessionContext.Provider value={session}>{children(session)}</SessionContext.Provider>}
    </SessionGate>
  );
}
