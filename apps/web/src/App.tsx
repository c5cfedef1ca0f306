import { SessionGate } from "@wedsync/ui/SessionGate";
import { Dashboard } from "./Dashboard";

const LOGIN = { title: "Sign in", intro: "Manage the AI features your wedding business uses." };

/** The sign-in form when nobody is signed in, the supplier dashboard otherwise. */
export function App() {
  return <SessionGate login={LOGIN}>{(session) => <Dashboard me={session} />}</SessionGate>;
}
