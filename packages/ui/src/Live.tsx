import { useQueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { formatUsd, fromMicros, toMicros } from "@wedsync/core/money";
import { useState } from "react";
import { type RouterOutputs, trpc } from "./trpc";

type Tracked<P> = P extends AsyncIterable<infer T> ? T : never;
export type ConfigChange = Tracked<RouterOutputs["platform"]["onConfigChange"]>["data"];
export type UsageEvent = Tracked<RouterOutputs["usage"]["onUsage"]>["data"];
type StreamStatus = "idle" | "connecting" | "pending" | "error";

/**
 * Keeps an organization's platform configuration fresh: every change (from this tab, another
 * user, or another server instance) refetches platform.config.get. The stream resumes after a
 * dropped connection from the last change it saw.
 */
export function useLiveConfig(organizationId: string) {
  const queryClient = useQueryClient();
  const [lastChange, setLastChange] = useState<ConfigChange | null>(null);
  const sub = trpc.platform.onConfigChange.useSubscription(
    { organizationId },
    {
      onData: ({ data }) => {
        setLastChange(data);
        void queryClient.invalidateQueries({
          queryKey: getQueryKey(trpc.platform.config.get, { organizationId }, "query"),
        });
      },
    },
  );
  return { status: sub.status as StreamStatus, lastChange };
}

const STATUS_TEXT: Record<StreamStatus, string> = {
  idle: "Live updates off",
  connecting: "Reconnecting…",
  pending: "Live",
  error: "Live updates unavailable",
};

/** "Live" badge, and a polite announcement of each change for screen reader users. */
export function LiveStatus({
  status,
  lastChange,
}: {
  status: StreamStatus;
  lastChange: ConfigChange | null;
}) {
  return (
    <p className="live-status">
      <span className={`badge live-${status}`} data-testid="live-status">
        {STATUS_TEXT[status]}
      </span>
      <span aria-live="polite" className="muted">
        {lastChange &&
          `${lastChange.featureType ?? "A feature"} changed (version ${lastChange.version}, ${lastChange.action.replace("_", " ")}) at ${new Date(lastChange.createdAt).toLocaleTimeString()}`}
      </span>
    </p>
  );
}

/** Requests of the organization as they are recorded, newest first, with totals since the page opened. */
export function LiveUsage({ organizationId, keep = 10 }: { organizationId: string; keep?: number }) {
  const [recent, setRecent] = useState<UsageEvent[]>([]);
  const [totals, setTotals] = useState({ requests: 0, rejected: 0, micros: 0n });
  const queryClient = useQueryClient();
  // One stream per page: it also refreshes the usage report (platform.usage) shown beside it.
  trpc.usage.onUsage.useSubscription(
    { organizationId },
    {
      onData: ({ data }) => {
        void queryClient.invalidateQueries({
          queryKey: getQueryKey(trpc.platform.usage, undefined, "query"),
        });
        setRecent((r) => [data, ...r].slice(0, keep));
        setTotals((t) => ({
          requests: t.requests + 1,
          rejected: t.rejected + (data.status === "rejected" ? 1 : 0),
          micros: t.micros + (data.costUsd ? toMicros(data.costUsd) : 0n),
        }));
      },
    },
  );
  return (
    <section aria-labelledby="live-usage-heading">
      <h2 id="live-usage-heading">Live activity</h2>
      <p className="muted" data-testid="live-usage-totals">
        Since you opened this page: {totals.requests} requests, {totals.rejected} turned away,{" "}
        {formatUsd(fromMicros(totals.micros, 6), "auto")} spent.
      </p>
      {recent.length > 0 && (
        <table className="config-table">
          <caption>Latest requests</caption>
          <thead>
            <tr>
              <th scope="col">Feature</th>
              <th scope="col">Outcome</th>
              <th scope="col">Tokens (in / out)</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((e) => (
              <tr key={e.requestId}>
                <td>{e.featureType}</td>
                <td>{e.status === "rejected" ? `turned away (${e.rejectionReason})` : e.status}</td>
                <td>
                  {e.inputTokens} / {e.outputTokens}
                </td>
                <td>{e.costUsd === null ? "—" : formatUsd(e.costUsd, "micros")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
