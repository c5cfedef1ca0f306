import { Link } from "@tanstack/react-router";
import { NotFound as NotFoundContent } from "@wedsync/ui/NotFound";

/** An address the admin app has no screen for, or an organization that does not exist. */
export function NotFound({ what = "page" }: { what?: string }) {
  return (
    <NotFoundContent
      what={what}
      reason={
        what === "organization"
          ? "The address may be mistyped, or the organization may have been removed."
          : undefined
      }
      home={<Link to="/organizations">Go to the list of organizations</Link>}
    />
  );
}
