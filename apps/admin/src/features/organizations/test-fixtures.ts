import type { OrganizationRow } from "./OrganizationTable";
import type { RowThrottle } from "./throttle-state";

export const BLOOM = "11111111-1111-4111-8111-111111111111";
export const EVERMORE = "22222222-2222-4222-8222-222222222222";
export const GOLDEN = "33333333-3333-4333-8333-333333333333";

export const row = (over: Partial<OrganizationRow>): OrganizationRow => ({
  id: BLOOM,
  name: "Bloom & Petal Florals",
  slug: "bloom-petal",
  tier: "free",
  timezone: "Europe/London",
  createdAt: new Date("2025-01-01T00:00:00Z"),
  clientCount: 5,
  monthSpendUsd: "0.000000",
  creditLimitUsd: "100.00",
  credit: { month: "2026-06", status: "ok", usedUsd: "0.000000", limitUsd: "100.00" },
  activeAlerts: 0,
  throttles: [],
  ...over,
});

export const ORGS: OrganizationRow[] = [
  row({}),
  row({
    id: EVERMORE,
    name: "Evermore Wedding Planners",
    slug: "evermore",
    tier: "enterprise",
    timezone: "Europe/Paris",
    clientCount: 1234,
    monthSpendUsd: "12.5",
    credit: { month: "2026-06", status: "warning", usedUsd: "85.000000", limitUsd: "100.00" },
    activeAlerts: 2,
  }),
];

export const throttle = (over: Partial<RowThrottle>): RowThrottle => ({
  id: "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa",
  scope: "organization",
  featureType: null,
  mode: "refuse",
  perMinute: null,
  reason: "Runaway integration",
  expiresAt: null,
  createdAt: new Date("2026-06-01T10:00:00Z"),
  ...over,
});
