import { SUPPLIER_SCREENS, supplierAppUrl } from "./supplier-links";

/** Where staff act on an organization: its screens in the supplier app, as its admin. */
export function SupplierLinks({ organizationId, name }: { organizationId: string; name: string }) {
  return (
    <section aria-labelledby="supplier-links-heading" className="panel org-panel">
      <h2 id="supplier-links-heading">Open in the supplier app</h2>
      <p className="muted">
        You act as an admin of {name} there: change its configuration, clients and alerts, issue its invoices
        or roll a change back. Every change you make is recorded in its history under your name.
      </p>
      <ul className="link-list">
        {SUPPLIER_SCREENS.map((s) => (
          <li key={s.path}>
            <a href={supplierAppUrl(organizationId, s.path)}>{s.label}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
