import { LoginForm } from "@wedsync/ui/LoginForm";
import { ErrorNotice, Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { Dashboard } from "./Dashboard";

const LOGIN = { title: "Sign in", intro: "Manage the AI features your wedding business uses." };

/** Asks auth.session who is signed in: the sign-in form when nobody is, the dashboard otherwise. */
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
  return <Dashboard me={session.data} />;
}
