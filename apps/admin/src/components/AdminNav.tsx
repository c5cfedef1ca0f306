import { Link } from "@tanstack/react-router";

/** The admin app's sections, in the order staff reach for them. */
export const SECTIONS = [
  { to: "/organizations", label: "Organizations" },
  { to: "/bulk", label: "Bulk changes" },
  { to: "/throttling", label: "Throttling" },
  { to: "/model-prices", label: "Model prices" },
  { to: "/audit", label: "Audit" },
  { to: "/service-levels", label: "Service levels" },
  { to: "/invoices", label: "Invoices" },
] as const;

/** The section links; the current one is marked for screen readers (aria-current) and by weight. */
export function AdminNav() {
  return (
    <nav className="sidenav" aria-label="Sections">
      <ul>
        {SECTIONS.map((s) => (
          <li key={s.to}>
            <Link to={s.to} activeProps={{ "aria-current": "page", className: "active" }}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
