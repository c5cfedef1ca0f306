import type { Session } from "@wedsync/ui/trpc";
import { createContext, useContext } from "react";

export const SessionContext = createContext<Session | null>(null);

/** Who is signed in. Only inside a signed-in page (below SessionGate). */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside a signed-in page");
  return session;
}
