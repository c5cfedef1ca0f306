import { useQueryClient } from "@tanstack/react-query";
import type { ConfigChange } from "@wedsync/ui/Live";
import { trpc } from "@wedsync/ui/trpc";
import { useState } from "react";

type StreamStatus = "idle" | "connecting" | "pending" | "error";

/**
 * Keeps an organization's page fresh: every configuration or throttle change (from the supplier
 * app, another staff member, another instance) reads the overview again (throttles included). One
 * subscription of the organization's change stream, which resumes after a dropped connection.
 */
export function useLiveOrganization(organizationId: string) {
  const queryClient = useQueryClient();
  const [lastChange, setLastChange] = useState<ConfigChange | null>(null);
  const sub = trpc.platform.onConfigChange.useSubscription(
    { organizationId },
    {
      onData: ({ data }) => {
        setLastChange(data);
        void queryClient.invalidateQueries({ queryKey: [["admin", "organizations", "get"]] });
      },
    },
  );
  return { status: sub.status as StreamStatus, lastChange };
}
