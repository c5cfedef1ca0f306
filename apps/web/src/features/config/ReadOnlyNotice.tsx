import type { MemberRole } from "@wedsync/core/domain";
import { ROLE_WORDS } from "../../lib/org";

/** Why the settings cannot be changed here, and who can change them. */
export function ReadOnlyNotice({ memberRole }: { memberRole: MemberRole }) {
  return (
    <p className="notice read-only-notice" data-testid="read-only">
      Only owners and admins can change AI settings; you are a {ROLE_WORDS[memberRole].toLowerCase()}. Ask an
      owner or admin of your organization to make a change.
    </p>
  );
}
