import { useQueryClient } from "@tanstack/react-query";
import { getQueryKey } from "@trpc/react-query";
import { useState } from "react";
import { featureLabel } from "./format";
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
          `${lastChange.featureType ? featureLabel(lastChange.featureType) : "Settings"} changed at ${new Date(lastChange.createdAt).toLocaleTimeString()}`}
      </span>
    </p>
  );
}
