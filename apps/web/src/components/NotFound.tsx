import { Link } from "@tanstack/react-router";
import { NotFound as NotFoundContent } from "@wedsync/ui/NotFound";

/** A page that does not exist (or an organization the person cannot see: never say which). */
export function NotFound({ what = "page" }: { what?: string }) {
  return (
    <main className="page" id="main">
      <NotFoundContent
        what={what}
        reason={`The address may be mistyped, or the ${what} may have been removed or belong to an organization you are not a member of.`}
        home={<Link to="/">Go to your dashboard</Link>}
      />
    </main>
  );
}
