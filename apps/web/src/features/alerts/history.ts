import type { AlertItem } from "./words";

/**
 * The alerts to list: those that arrived live during this visit and the pages fetched, each once,
 * newest first (ids grow with time). Live ones show at once, before the list is fetched again.
 */
export function mergeAlerts(live: readonly AlertItem[], fetched: readonly AlertItem[]): AlertItem[] {
  const byId = new Map<number, AlertItem>();
  // Fetched last: a refetched row has the newer delivery status.
  for (const a of [...live, ...fetched]) byId.set(a.id, a);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}
