import { useQueryClient } from "@tanstack/react-query";
import type { ConfigChange, UsageEvent } from "@wedsync/ui/Live";
import { notify } from "@wedsync/ui/Notifications";
import { type RouterOutputs, trpc } from "@wedsync/ui/trpc";
import { featureWords } from "@wedsync/ui/words";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import { alertMessageWords } from "../features/alerts/words";

type Tracked<P> = P extends AsyncIterable<infer T> ? T : never;
export type AlertEvent = Tracked<RouterOutputs["alerts"]["onAlert"]>["data"];
export type StreamStatus = "idle" | "connecting" | "pending" | "error";

type Listener<T> = (event: T) => void;

interface Live {
  status: StreamStatus;
  lastConfigChange: ConfigChange | null;
  /** Subscribe to every usage event of the organization (returns the unsubscribe). */
  onUsage: (listener: Listener<UsageEvent>) => () => void;
  onConfigChange: (listener: Listener<ConfigChange>) => () => void;
  onAlert: (listener: Listener<AlertEvent>) => () => void;
}

const LiveContext = createContext<Live | null>(null);

/** Query roots a recorded request changes: refetched (at most once a second) when requests arrive. */
const USAGE_ROOTS = [["platform", "usage"], ["platform", "usageByClient"], ["billing"], ["usage"]];
/** Query roots a configuration change changes. */
const CONFIG_ROOTS = [["platform", "config"], ["platform", "audit"], ["clients"]];
/** What an emergency throttle set or lifted by platform staff changes: the banner, nothing else. */
const THROTTLE_ROOTS = [["throttles", "active"]];

function emitter<T>() {
  const listeners = new Set<Listener<T>>();
  return {
    emit: (e: T) => {
      for (const l of listeners) l(e);
    },
    on: (l: Listener<T>) => {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
  };
}

/**
 * One set of live streams per open organization: configuration changes, recorded requests and
 * (owners and admins) alerts. Each event refreshes the cached queries it affects, and screens
 * that want the events themselves (meters, the alert list) subscribe here instead of opening
 * streams of their own.
 */
export function LiveProvider({
  organizationId,
  alerts,
  children,
}: {
  organizationId: string;
  alerts: boolean;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const [lastConfigChange, setLastConfigChange] = useState<ConfigChange | null>(null);
  const channels = useMemo(
    () => ({ usage: emitter<UsageEvent>(), config: emitter<ConfigChange>(), alert: emitter<AlertEvent>() }),
    [],
  );
  const usageRefresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (usageRefresh.current) clearTimeout(usageRefresh.current);
    },
    [],
  );

  const invalidate = (roots: string[][]) => {
    for (const root of roots) void queryClient.invalidateQueries({ queryKey: [root] });
  };

  const config = trpc.platform.onConfigChange.useSubscription(
    { organizationId },
    {
      onData: ({ data }) => {
        if (data.entityKind === "throttle") {
          invalidate(THROTTLE_ROOTS);
          return;
        }
        setLastConfigChange(data);
        invalidate(CONFIG_ROOTS);
        channels.config.emit(data);
      },
    },
  );
  trpc.usage.onUsage.useSubscription(
    { organizationId },
    {
      onData: ({ data }) => {
        channels.usage.emit(data);
        if (!usageRefresh.current) {
          usageRefresh.current = setTimeout(() => {
            usageRefresh.current = null;
            invalidate(USAGE_ROOTS);
          }, 1_000);
        }
      },
    },
  );
  trpc.alerts.onAlert.useSubscription(
    { organizationId },
    {
      enabled: alerts,
      onData: ({ data }) => {
        void queryClient.invalidateQueries({ queryKey: [["alerts", "list"]] });
        channels.alert.emit(data);
        notify({ title: "New alert", description: alertMessageWords(data.message), tone: "warning" }, 10_000);
      },
    },
  );

  const value: Live = {
    status: config.status as StreamStatus,
    lastConfigChange,
    onUsage: channels.usage.on,
    onConfigChange: channels.config.on,
    onAlert: channels.alert.on,
  };
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error("useLive outside LiveProvider");
  return live;
}

/** Run `listener` for every usage event while the component is mounted. */
export function useUsageEvents(listener: Listener<UsageEvent>) {
  const { onUsage } = useLive();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => onUsage((e) => latest.current(e)), [onUsage]);
}

const STATUS_TEXT: Record<StreamStatus, string> = {
  idle: "Live updates off",
  connecting: "Reconnecting…",
  pending: "Live",
  error: "Live updates unavailable",
};

/** The "Live" badge, and a polite announcement of the last configuration change. */
export function LiveBadge() {
  const { status, lastConfigChange: change } = useLive();
  return (
    <p className="live-status">
      <span className={`badge live-${status}`} data-testid="live-status">
        {STATUS_TEXT[status]}
      </span>
      <span aria-live="polite" className="muted small">
        {change &&
          `${change.featureType ? featureWords(change.featureType) : "Settings"} changed at ${new Date(change.createdAt).toLocaleTimeString()}`}
      </span>
    </p>
  );
}
