import { Link } from "@tanstack/react-router";
import { useEffect } from "react";

/** A page that does not exist (or an organization the person cannot see: never say which). */
export function NotFound({ what = "page" }: { what?: string }) {
  useEffect(() => {
    document.title = "Not found · WedSync";
  }, []);
  return (
    <main className="page" id="main">
      <h1>This {what} does not exist</h1>
      <p>
        The address may be mistyped, or the {what} may have been removed or belong to an organization you are
        not a member of.
      </p>
      <p>
        <Link to="/">Go to your dashboard</Link>
      </p>
    </main>
  );
}
