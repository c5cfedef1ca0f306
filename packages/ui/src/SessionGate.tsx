import type { ReactNode } from "react";
import { ApiErrorNotice } from "./ApiErrorNotice";
import { LoginForm } from "./LoginForm";
import { Loading } from "./StatusViews";
import { useSigningOut } from "./session";
import { type Session, trpc } from "./trpc";

/**
 * Asks auth.session who is signed in: a loading state (or "Signing out…"), an error with retry, the sign-in form
 * when nobody is, and the app (given the session) when someone is.
 */
export function SessionGate({
  login,
  children,
}: {
  login: { title: string; intro: string };
  children: (session: Session) => ReactNode;
}) {
  const session = trpc.auth.session.useQuery();
  const signingOut = useSigningOut();
  if (signingOut) {
    return (
      <main className="auth" id="main">
        <Loading label="Signing out…" />
      </main>
    );
  }
  if (session.isPending) {
    return (
      <main className="auth" id="main">
        <Loading label="Loading…" />
      </main>
    );
  }
  if (session.error) {
    return (
      <main className="auth" id="main">
        <h1>Something went wrong</h1>
        <ApiErrorNotice error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  if (!session.data) return <LoginForm {...login} />;
  return children(session.data);
}
