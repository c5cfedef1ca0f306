import { SessionGate } from "@wedsync/ui/SessionGate";
import { StaffConsole } from "./StaffConsole";
import { StaffOnly } from "./StaffOnly";

const LOGIN = { title: "Sign in to WedSync Admin", intro: "For WedSync platform staff." };

/** The sign-in form, a "staff only" page for everyone else, or the staff console. */
export function App() {
  return (
    <SessionGate login={LOGIN}>
      {({ user }) => (user.isPlatformStaff ? <StaffConsole user={user} /> : <StaffOnly user={user} />)}
    </SessionGate>
  );
}
