import { Link } from "@tanstack/react-router";
import { useOrg } from "../../lib/org";

const SECTIONS = [
  { to: "/o/$orgId/api", label: "Overview", exact: true },
  { to: "/o/$orgId/api/keys", label: "Keys", exact: false },
  { to: "/o/$orgId/api/reference", label: "Reference", exact: false },
] as const;

/** The API screens' own addresses: overview (rate limits, quick start), keys, reference. */
export function ApiNav() {
  const org = useOrg();
  return (
    <nav className="api-nav" aria-label="API sections">
      <ul>
        {SECTIONS.map((s) => (
          <li key={s.to}>
            <Link
              to={s.to}
              params={{ orgId: org.id }}
              activeOptions={{ exact: s.exact, includeSearch: false }}
              activeProps={{ "aria-current": "page", className: "active" }}
            >
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
