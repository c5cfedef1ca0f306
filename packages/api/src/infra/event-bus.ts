import { EventEmitter, on } from "node:events";
import { ALERT_KINDS, AUDIT_ENTITY_KINDS, FEATURE_TYPES, USAGE_STATUSES } from "@wedsync/core";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { linkSignals } from "../lib/signals";
import type { DatabaseHandle, Executor } from "./database";
import type { Logger } from "./logger";

/** The one NOTIFY channel every instance listens on. */
export const EVENT_CHANNEL = "wedsync_events";
/** NOTIFY refuses payloads of 8000 bytes or more; stay well under it. */
export const MAX_PAYLOAD_BYTES = 4000;

const configChanged = z.object({
  kind: z.literal("config"),
  organizationId: z.string(),
  /** The audit row: subscribers read it for the full before/after. */
  auditId: z.number(),
  entityKind: z.enum(AUDIT_ENTITY_KINDS),
  entityId: z.string(),
  clientId: z.string().nullable(),
  version: z.number(),
});

const usageRecorded = z.object({
  kind: z.literal("usage"),
  organizationId: z.string(),
  seq: z.number(),
  requestId: z.string(),
  featureType: z.enum(FEATURE_TYPES),
  clientId: z.string().nullable(),
  status: z.enum(USAGE_STATUSES),
  costUsd: z.string().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  rejectionReason: z.string().nullable(),
});

/** An alert row was inserted (one per crossing); subscribers read the row by its id. */
const alertRaised = z.object({
  kind: z.literal("alert"),
  organizationId: z.string(),
  alertId: z.number(),
  alertKind: z.enum(ALERT_KINDS),
  threshold: z.number(),
  period: z.string(),
});

/** A model price row was added: every instance reloads its price book before the price takes effect. */
const pricesChanged = z.object({
  kind: z.literal("prices"),
  provider: z.string(),
  model: z.string(),
  effectiveFrom: z.string(),
});

/**
 * An emergency throttle was set or lifted (services/throttle-service.ts): every instance reloads
 * the throttles in force, which admission checks first. Not per organization: one may reach all.
 */
const throttleChanged = z.object({
  kind: z.literal("throttle"),
  throttleId: z.string(),
  action: z.enum(["set", "lift"]),
});

export const platformEventSchema = z.discriminatedUnion("kind", [
  configChanged,
  usageRecorded,
  alertRaised,
  pricesChanged,
  throttleChanged,
]);
export type PlatformEvent = z.infer<typeof platformEventSchema>;
export type ConfigChangedEvent = z.infer<typeof configChanged>;
export type UsageRecordedEvent = z.infer<typeof usageRecorded>;
export type AlertRaisedEvent = z.infer<typeof alertRaised>;
export type PricesChangedEvent = z.infer<typeof pricesChanged>;
export type ThrottleChangedEvent = z.infer<typeof throttleChanged>;

const wireSchema = z.object({ events: z.array(platformEventSchema) });

/** What a local subscriber receives: an event, or word that events may have been missed. */
export type BusMessage = { type: "event"; event: PlatformEvent } | { type: "resync" };

/**
 * NOTIFY inside the caller's transaction: PostgreSQL delivers it to every instance only if, and
 * when, the transaction commits. Events are packed into as few payloads as fit under the limit.
 */
export async function publishEvents(tx: Executor, events: readonly PlatformEvent[]): Promise<void> {
  for (const payload of packPayloads(events)) {
    await tx.execute(sql`select pg_notify(${EVENT_CHANNEL}, ${payload})`);
  }
}

export function packPayloads(events: readonly PlatformEvent[], maxBytes = MAX_PAYLOAD_BYTES): string[] {
  const payloads: string[] = [];
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length > 0) payloads.push(`{"events":[${chunk.join(",")}]}`);
    chunk = [];
    size = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    if (size + json.length + 16 > maxBytes) flush();
    chunk.push(json);
    size += json.length + 1;
  }
  flush();
  return payloads;
}

export interface EventBusMetrics {
  received(kind: PlatformEvent["kind"]): void;
  malformed(): void;
  resynced(): void;
}

/**
 * Events from every instance (through LISTEN) fanned out to this instance's subscribers. The
 * instance's own changes come back the same way, so every subscriber sees one ordered stream.
 */
export class EventBus {
  private readonly emitter = new EventEmitter();
  private stopListening: (() => Promise<void>) | null = null;
  /** Aborted at shutdown: ends every open stream, so open SSE responses finish and the server can close. */
  private readonly closing = new AbortController();

  constructor(
    private readonly logger: Logger,
    private readonly metrics?: EventBusMetrics,
  ) {
    this.emitter.setMaxListeners(0);
  }

  async start(database: Pick<DatabaseHandle, "listen">): Promise<void> {
    this.stopListening = await database.listen(
      EVENT_CHANNEL,
      (payload) => this.receive(payload),
      () => {
        this.logger.warn("event listener reconnected; subscribers resynchronise");
        this.metrics?.resynced();
        this.emit({ type: "resync" });
      },
    );
  }

  /** End every open stream (shutdown). */
  endStreams(): void {
    this.closing.abort();
  }

  async stop(): Promise<void> {
    await this.stopListening?.();
    this.stopListening = null;
  }

  /** Handle a NOTIFY payload (public so tests can feed one in). */
  receive(payload: string): void {
    let parsed: z.infer<typeof wireSchema>;
    try {
      parsed = wireSchema.parse(JSON.parse(payload));
    } catch (err) {
      this.metrics?.malformed();
      this.logger.error({ err, bytes: payload.length }, "malformed event payload ignored");
      return;
    }
    for (const event of parsed.events) {
      this.metrics?.received(event.kind);
      this.emit({ type: "event", event });
    }
  }

  /** Local subscribers right now (open streams, caches). */
  subscriberCount(): number {
    return this.emitter.listenerCount("message");
  }

  /** Call `listener` for every message until the returned function is called. */
  subscribe(listener: (message: BusMessage) => void): () => void {
    this.emitter.on("message", listener);
    return () => this.emitter.off("message", listener);
  }

  /**
   * Messages from the moment of this call until `signal` aborts, buffered so a slow consumer
   * misses nothing. Listening starts here, not at the first read: subscribe, then read the tables
   * a stream replays from, and nothing can fall in between.
   */
  stream(signal: AbortSignal | undefined): AsyncIterable<BusMessage> {
    const linked = linkSignals(...(signal ? [signal] : []), this.closing.signal);
    const iterator = on(this.emitter, "message", { signal: linked.signal });
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const [message] of iterator) yield message as BusMessage;
        } catch (err) {
          if ((err as Error).name !== "AbortError") throw err;
        } finally {
          linked.dispose();
        }
      },
    };
  }

  private emit(message: BusMessage) {
    // A failing subscriber must not stop the others (EventEmitter would rethrow into LISTEN).
    for (const listener of this.emitter.listeners("message")) {
      try {
        (listener as (m: BusMessage) => void)(message);
      } catch (err) {
        this.logger.error({ err }, "event subscriber failed");
      }
    }
  }
}
