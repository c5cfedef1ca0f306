import type { OrganizationOverview } from "./FeatureSummary";
import { ROLE_WORDS } from "./words";

const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium" });

/** Who belongs to the organization, and as what. */
export function Members({ name, members }: { name: string; members: OrganizationOverview["members"] }) {
  if (members.length === 0) return <p className="muted">{name} has no members yet.</p>;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable (WCAG 2.1.1)
    <section className="table-scroll" aria-labelledby="org-members-caption" tabIndex={0}>
      <table className="data">
        <caption id="org-members-caption">Members of {name}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Member since</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <th scope="row">{m.name}</th>
              <td>{m.email}</td>
              <td>{ROLE_WORDS[m.role] ?? m.role}</td>
              <td>{day.format(new Date(m.since))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
