import type { ReactNode } from "react";
import { Button } from "react-aria-components";
import { useSignOut } from "./session";

/**
 * The banner on every signed-in page: the product (`brand`, usually a link home, since each app
 * has its own router), who is signed in and as what, and sign out.
 */
export function TopBar({
  brand,
  user,
  userRole,
  children,
}: {
  brand: ReactNode;
  user: { name: string; email: string };
  /** What they are here, in words ("Owner", "Platform staff"). */
  userRole?: string;
  /** Anything between the brand and the person (the supplier app's organization switcher). */
  children?: ReactNode;
}) {
  const signOut = useSignOut();
  return (
    <header className="topbar">
      <p className="brand">{brand}</p>
      {children}
      <div className="who">
        <span title={user.email}>
          {user.name}
          {userRole && <span className="muted small"> · {userRole}</span>}
        </span>
        <Button className="secondary" onPress={() => signOut.mutate()} isDisabled={signOut.isPending}>
          Sign out
        </Button>
      </div>
    </header>
  );
}
