import type { RunningServer } from "@wedsync/api/server";
import { aiUsageLogs } from "@wedsync/core";
import { and, eq, isNotNull } from "drizzle-orm";

type BusMessage = Parameters<Parameters<RunningServer["services"]["events"]["subscribe"]>[0]>[0];

export interface BusWatch {
  /**
   * Resolves once the server's bus has delivered the usage event of every request of the
   * organization recorded so far (completed or rejected: each row with an event_seq); rejects
   * after `timeoutMs` when some never came.
   */
  usageDelivered(organizationId: string, timeoutMs?: number): Promise<void>;
  stop(): void;
}

/**
 * The events a server's bus delivers, seen from inside the server. The services subscribed when
 * the server started, before any test, and the bus calls its listeners in order: once this watch
 * has seen an event, the alert service (say) has already been handed it. Start the watch before
 * the requests whose events it is to wait for.
 */
export function watchBus(server: RunningServer): BusWatch {
  const usage = new Set<string>();
  const wakers = new Set<() => void>();
  const stop = server.services.events.subscribe((message: BusMessage) => {
    if (message.type !== "event" || message.event.kind !== "usage") return;
    usage.add(`${message.event.organizationId}/${message.event.seq}`);
    for (const wake of [...wakers]) wake();
  });
  return {
    async usageDelivered(organizationId, timeoutMs = 15_000) {
      await server.services.tracker.drain(); // completions queued for the group commit are written
      const rows = await server.services.db
        .select({ seq: aiUsageLogs.eventSeq })
        .from(aiUsageLogs)
        .where(and(eq(aiUsageLogs.organizationId, organizationId), isNotNull(aiUsageLogs.eventSeq)));
      const keys = rows.map((r) => `${organizationId}/${r.seq}`);
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!keys.every((k) => usage.has(k))) return;
          wakers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          wakers.delete(check);
          const missing = keys.filter((k) => !usage.has(k)).length;
          reject(new Error(`the bus delivered ${keys.length - missing} of ${keys.length} usage events`));
        }, timeoutMs);
        wakers.add(check);
        check();
      });
    },
    stop,
  };
}
