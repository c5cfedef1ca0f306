import type { ThrottleItem } from "./words";

/** A throttle as throttles.list returns it (tests only). */
export function throttleItem(over: Partial<ThrottleItem> = {}): ThrottleItem {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    scope: "organization",
    organizationId: "11111111-1111-4111-8111-111111111111",
    organizationName: "Evermore Wedding Planners",
    featureType: null,
    mode: "refuse",
    perMinute: null,
    reason: "Runaway retries",
    expiresAt: null,
    createdAt: new Date("2026-06-01T11:00:00.000Z"),
    liftedAt: null,
    status: "active",
    createdBy: { id: "99999999-9999-4999-8999-999999999999", name: "Sam Staff" },
    liftedBy: null,
    ...over,
  };
}
