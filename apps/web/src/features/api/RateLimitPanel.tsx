import { ApiErrorNotice } from "@wedsync/ui/ApiErrorNotice";
import { Loading } from "@wedsync/ui/StatusViews";
import { trpc } from "@wedsync/ui/trpc";
import { useEffect, useState } from "react";
import { useUsageEvents } from "../../lib/live";
import { useOrg } from "../../lib/org";
import { RateLimitList, remainingMs } from "./RateLimits";

/** The current time, re-read every `everyMs` while mounted (drives countdowns). */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/**
 * The organization's rate limits, live: read again after every recorded request (the usage
 * stream) and whenever a countdown runs out (a slot freed up); the countdown ticks locally.
 */
export function RateLimitPanel() {
  const org = useOrg();
  const status = trpc.usage.rateLimits.useQuery({ organizationId: org.id }, { staleTime: 0 });
  const refresh = () => void status.refetch({ cancelRefetch: false });
  useUsageEvents(refresh);
  const now = useNow(1_000);
  const elapsedMs = Math.max(0, now - status.dataUpdatedAt);
  const expired =
    status.data?.features.some((f) => f.resetsInMs !== null && remainingMs(f, elapsedMs) === 0) ?? false;
  // Refetch only when a countdown reaches zero (not on every tick).
  useEffect(() => {
    if (expired && !status.isFetching) refresh();
  }, [expired]);

  return (
    <section className="panel" aria-labelledby="api-rate-limits">
      <h2 id="api-rate-limits">Rate limits right now</h2>
      <p className="muted small">
        Requests each feature still admits this minute, for the whole organization (a client with a tighter
        limit of its own is held to it too). Reading this uses none of them; it updates as requests arrive.
      </p>
      {status.isPending ? (
        <Loading label="Loading rate limits…" />
      ) : status.error ? (
        <ApiErrorNotice error={status.error} onRetry={refresh} />
      ) : (
        <RateLimitList status={status.data} elapsedMs={elapsedMs} />
      )}
    </section>
  );
}
