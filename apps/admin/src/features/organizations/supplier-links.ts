/** The supplier app's screens of one organization that staff open from here (they act as admins there). */
export const SUPPLIER_SCREENS = [
  { path: "config", label: "AI configuration" },
  { path: "clients", label: "Clients" },
  { path: "analytics", label: "Usage analytics" },
  { path: "billing", label: "Billing" },
  { path: "alerts", label: "Alerts" },
  // The configuration screen carries the organization's change history.
  { path: "config#audit-heading", label: "Change history" },
] as const;

export type SupplierScreen = (typeof SUPPLIER_SCREENS)[number]["path"];

/** The supplier app is another app (served at "/"), so its addresses are plain links, not routes. */
export function supplierAppUrl(organizationId: string, screen: SupplierScreen): string {
  return `/o/${encodeURIComponent(organizationId)}/${screen}`;
}
