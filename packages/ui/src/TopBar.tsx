import { useSignOut } from "./session";

/** The banner on every signed-in page: product, who is signed in, and sign out. */
export function TopBar({ product, user }: { product: string; user: { name: string; email: string } }) {
  const signOut = useSignOut();
  return (
    <header className="topbar">
      <p className="brand">
        WedSync <span className="product">{product}</span>
      </p>
      <div className="who">
        <span title={user.email}>{user.name}</span>
        <button
          type="button"
          className="secondary"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
