import { useEffect, useRef, useState } from "react";

/** setTimeout's ceiling (about 24 days); a later expiry is simply looked at again then. */
const MAX_DELAY_MS = 2_147_483_647;
/** After the instant, so the server (which compares with its own clock) agrees it has passed. */
const AFTER_MS = 250;

/**
 * The time the screen shows throttles at: it moves on by itself at the next expiry, so a throttle
 * leaves the "in force" list at its end without a reload; `onExpire` is told which ones ended
 * (to refetch the lists and to announce it).
 */
export function useExpiryClock<T extends { expiresAt: Date | null }>(
  items: readonly T[],
  onExpire: (ended: T[]) => void,
  dataUpdatedAt = 0,
): Date {
  const [now, setNow] = useState(() => new Date());
  const latest = useRef({ items, onExpire });
  latest.current = { items, onExpire };

  useEffect(() => {
    if (dataUpdatedAt) setNow(new Date());
  }, [dataUpdatedAt]);

  const next = Math.min(
    ...items
      .map((t) => t.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY)
      .filter((at) => at > now.getTime()),
  );
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(
      () => {
        const at = new Date();
        const ended = latest.current.items.filter(
          (t) =>
            t.expiresAt && t.expiresAt.getTime() > now.getTime() && t.expiresAt.getTime() <= at.getTime(),
        );
        setNow(at);
        if (ended.length > 0) latest.current.onExpire(ended);
      },
      Math.min(MAX_DELAY_MS, Math.max(0, next - Date.now()) + AFTER_MS),
    );
    return () => clearTimeout(timer);
  }, [next, now]);

  return now;
}
