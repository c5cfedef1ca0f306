import { LoginForm } from "@wedsync/ui/LoginForm";
import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { StaffConsole } from "./StaffConsole";
import { StaffOnly } from "./StaffOnly";

const LOGIN = { title: "Sign in to WedSync Admin", intro: "For WedSync platform staff." };

/** Asks auth.session who is signed in: the sign-in form, a "staff only" page, or the staff console. */
export function App() {
  const session = trpc.auth.session.useQuery();

  if (session.isPending) {
    return (
      <main className="auth">
        <Loading label="Loading…" />
      </main>
    );
  }
  if (session.error) {
    return (
      <main className="auth">
        <h1>Something went wrong</h1>
        <ErrorNotice error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  if (!session.data) return <LoginForm {...LOGIN} />;
  if (!session.data.user.isPlatformStaff) return <StaffOnly user={session.data.user} />;
  return <StaffConsole user={session.data.user} />;
}
