import type { Subscription } from "./subscriptions";

/**
 * What a subscription received before the event whose id is `markerId`, once that event has
 * arrived. A subscriber gets its events in commit order, so whatever the earlier changes were
 * going to bring it (a misrouted event, a duplicate, a late replay) has arrived by then: a test
 * shows that something did not come by waiting for a later event, not for the clock.
 */
export async function itemsBefore<T extends { id: string }>(
  sub: Subscription<T>,
  markerId: string,
  timeoutMs?: number,
): Promise<T[]> {
  for (;;) {
    const at = sub.items.findIndex((item) => item.id === markerId);
    if (at >= 0) return sub.items.slice(0, at);
    await sub.waitFor(sub.items.length + 1, timeoutMs);
  }
}
