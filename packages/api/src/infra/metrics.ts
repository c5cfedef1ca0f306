import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { GateObserver, GateSnapshot } from "../providers/provider-gate";
import type { CircuitStateName, ProviderHealth } from "../providers/provider-health";
import type { EventBusMetrics } from "./event-bus";

const CIRCUIT_STATES: readonly CircuitStateName[] = ["closed", "half-open", "open"];

/** "2xx" .. "5xx": a label with five values, whatever statuses the server sends. */
export function statusClass(status: number): string {
  return `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
}

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

  const httpRequestDuration = new Histogram({
    name: "wedsync_http_request_duration_seconds",
    help: "Time until the response starts (streams: until their headers), by endpoint and status class",
    labelNames: ["endpoint", "status_class"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const admissions = new Counter({
    name: "wedsync_admissions_total",
    help: "AI requests through admission (configuration, rate limit, caps, credit), by outcome",
    labelNames: ["outcome"] as const, // admitted, rejected (any reason), duplicate (idempotent replay), conflict
    registers: [registry],
  });
  const rejections = new Counter({
    name: "wedsync_rejections_total",
    help: "AI requests turned away, by reason (feature_disabled, tier, rate_limited, caps, credit_limit)",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  const usageWriteBatch = new Histogram({
    name: "wedsync_usage_write_batch_rows",
    help: "Usage rows per group-committed statement (admissions, completions, rejections): how much concurrent requests share a round trip",
    labelNames: ["writer"] as const, // admission, completion, rejection
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  const admissionBatchFallbacks = new Counter({
    name: "wedsync_admission_batch_fallbacks_total",
    help: "Admission batches whose one statement failed, so each request of the batch was admitted on its own (a request that cannot be admitted at all fails alone); any other rise is a fault to look into",
    registers: [registry],
  });
  const alertEvaluations = new Counter({
    name: "wedsync_alert_evaluations_total",
    help: "Evaluations of an organization's alert rules (a burst of usage is coalesced into one)",
    registers: [registry],
  });
  const alertsRaised = new Counter({
    name: "wedsync_alerts_raised_total",
    help: "Alerts this instance inserted (one per crossing across every instance)",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  const webhookAttempts = new Counter({
    name: "wedsync_alert_webhook_attempts_total",
    help: "Alert webhook delivery attempts, by result",
    labelNames: ["result"] as const, // delivered, failed
    registers: [registry],
  });

  // Provider figures live in the resilient chain; they are read at scrape time, never copied on the hot path.
  let providerHealth: () => readonly ProviderHealth[] = () => [];
  new Gauge({
    name: "wedsync_provider_circuit_state",
    help: "Each AI provider's circuit breaker: 1 for its current state, 0 for the others",
    labelNames: ["provider", "role", "state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const h of providerHealth()) {
        for (const state of CIRCUIT_STATES) {
          this.set({ provider: h.name, role: h.role, state }, h.circuit === state ? 1 : 0);
        }
      }
    },
  });
  const providerCounter = (name: string, help: string, read: (h: ProviderHealth) => number) =>
    new Counter({
      name,
      help,
      labelNames: ["provider"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const h of providerHealth()) this.inc({ provider: h.name }, read(h));
      },
    });
  providerCounter(
    "wedsync_provider_calls_total",
    "Calls the provider's breaker let through (a call may make several attempts)",
    (h) => h.totalCalls,
  );
  providerCounter(
    "wedsync_provider_attempts_total",
    "Upstream attempts, retries included",
    (h) => h.totalAttempts,
  );
  providerCounter(
    "wedsync_provider_errors_total",
    "Calls that failed for the provider's own reasons (after their retries), and streams that broke",
    (h) => h.totalFailures,
  );
  providerCounter(
    "wedsync_provider_short_circuited_total",
    "Calls skipped because the provider's circuit was open",
    (h) => h.shortCircuited,
  );

  // Priority under saturation (providers/provider-gate.ts): queues are read at scrape time like health.
  let providerQueues: () => readonly GateSnapshot[] = () => [];
  new Gauge({
    name: "wedsync_provider_queue_depth",
    help: "AI requests waiting for a provider slot, by provider and priority band (high 1-3, normal 4-6, low 7-10)",
    labelNames: ["provider", "band"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const q of providerQueues()) {
        for (const [band, n] of Object.entries(q.waiting)) this.set({ provider: q.provider, band }, n);
      }
    },
  });
  new Gauge({
    name: "wedsync_provider_in_flight",
    help: "AI provider calls holding a slot (streams until they end), and the provider's concurrency limit",
    labelNames: ["provider", "of"] as const, // of: in_flight, limit
    registers: [registry],
    collect() {
      this.reset();
      for (const q of providerQueues()) {
        this.set({ provider: q.provider, of: "in_flight" }, q.inFlight);
        this.set({ provider: q.provider, of: "limit" }, q.concurrency);
      }
    },
  });
  const queueWait = new Histogram({
    name: "wedsync_provider_queue_wait_seconds",
    help: "Time an AI request waited for a provider slot before its call (0 when one was free), by provider and priority band",
    labelNames: ["provider", "band"] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const queueRefusals = new Counter({
    name: "wedsync_provider_queue_refusals_total",
    help: "AI requests refused (SERVICE_UNAVAILABLE, not billed) after waiting the bound for a provider slot",
    labelNames: ["provider", "band"] as const,
    registers: [registry],
  });
  const providerQueue: GateObserver = {
    waited: (provider, band, ms) => queueWait.observe({ provider, band }, ms / 1000),
    refused: (provider, band) => queueRefusals.inc({ provider, band }),
  };

  const eventBus: EventBusMetrics = {
    received: (kind) => eventsReceived.inc({ kind }),
    malformed: () => eventsMalformed.inc(),
    resynced: () => eventResyncs.inc(),
  };

  return {
    registry,
    configCacheLookups,
    configCacheInvalidations,
    eventBus,
    httpRequestDuration,
    admissions,
    rejections,
    usageWriteBatch,
    admissionBatchFallbacks,
    alertEvaluations,
    alertsRaised,
    webhookAttempts,
    /** What the providers' gates report as requests get a slot or are refused. */
    providerQueue,
    /** Where the providers' queues are read from at scrape time (the provider chain). */
    observeProviderQueues(source: () => readonly GateSnapshot[]) {
      providerQueues = source;
    },
    /** Where provider health is read from at scrape time (the AI service, once it exists). */
    observeProviders(source: () => readonly ProviderHealth[]) {
      providerHealth = source;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
