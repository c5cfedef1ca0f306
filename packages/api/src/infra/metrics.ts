import { Counter, collectDefaultMetrics, Registry } from "prom-client";
import type { EventBusMetrics } from "./event-bus";

/**
 * One registry per server (tests run several servers in one process, so never prom-client's
 * global one), served at GET /metrics in Prometheus text format.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const configCacheLookups = new Counter({
    name: "wedsync_config_cache_lookups_total",
    help: "Effective-configuration lookups on the processing path, by the layer that answered",
    labelNames: ["result"] as const, // hit (in process), shared_hit (Redis), miss (database)
    registers: [registry],
  });
  const configCacheInvalidations = new Counter({
    name: "wedsync_config_cache_invalidations_total",
    help: "Organizations whose cached configurations were dropped, by cause",
    labelNames: ["cause"] as const, // local (a change made here), event (a change event), resync
    registers: [registry],
  });
  const eventsReceived = new Counter({
    name: "wedsync_events_received_total",
    help: "Change events received through LISTEN/NOTIFY",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  const eventsMalformed = new Counter({
    name: "wedsync_events_malformed_total",
    help: "NOTIFY payloads that did not parse and were ignored",
    registers: [registry],
  });
  const eventResyncs = new Counter({
    name: "wedsync_event_listener_resyncs_total",
    help: "Times the LISTEN connection came back after a loss (caches cleared, streams replayed)",
    registers: [registry],
  });

  const eventBus: EventBusMetrics = {
    received: (kind) => eventsReceived.inc({ kind }),
    malformed: () => eventsMalformed.inc(),
    resynced: () => eventResyncs.inc(),
  };

  return { registry, configCacheLookups, configCacheInvalidations, eventBus };
}

export type Metrics = ReturnType<typeof createMetrics>;
