import {
  AppError,
  aiAlerts,
  aiConfigAudit,
  aiUsageLogs,
  type ConfigAuditRow,
  clients,
  type UsageLogRow,
} from "@wedsync/core";
import { and, asc, desc, eq, gt, isNotNull, or, type SQL } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Database } from "../infra/database";
import type {
  AlertRaisedEvent,
  ConfigChangedEvent,
  EventBus,
  PlatformEvent,
  UsageRecordedEvent,
} from "../infra/event-bus";
import { type AlertView, alertView } from "./alert-rules";

/** One item of a resumable stream: `id` is what a reconnecting subscriber sends back as lastEventId. */
export interface StreamItem<T> {
  id: string;
  data: T;
}

export interface StreamRequest {
  organizationId: string;
  /** The last id the subscriber received (a reconnect); it gets everything after it first. */
  lastEventId?: string | null | undefined;
  signal: AbortSignal | undefined;
}

const REPLAY_PAGE = 500;
/** Ids already sent, so an event that is both replayed and still buffered live goes out once. */
const SEEN_WINDOW = 5_000;

/** A configuration change as subscribers see it: the audit entry, read from the table. */
export function configChangeView(row: ConfigAuditRow) {
  return {
    auditId: row.id,
    organizationId: row.organizationId,
    entityKind: row.entityKind,
    entityId: row.entityId,
    clientId: row.clientId,
    featureType: (row.after as { featureType?: string }).featureType ?? null,
    action: row.action,
    before: row.before,
    after: row.after,
    version: row.version,
    actorUserId: row.actorUserId,
    actorApiKeyId: row.actorApiKeyId,
    createdAt: row.createdAt,
  };
}
export type ConfigChange = ReturnType<typeof configChangeView>;

/** A completed or rejected request, for live cost tickers. */
export interface UsageEvent {
  seq: number;
  requestId: string;
  featureType: UsageRecordedEvent["featureType"];
  clientId: string | null;
  status: UsageRecordedEvent["status"];
  costUsd: string | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  rejectionReason: string | null;
}

function usageEventOf(row: UsageRecordedEvent | UsageLogRow): UsageEvent {
  return {
    seq: "seq" in row ? row.seq : Number(row.eventSeq),
    requestId: row.requestId,
    featureType: row.featureType,
    clientId: row.clientId,
    status: row.status,
    costUsd: row.costUsd,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    cachedInputTokens: row.cachedInputTokens,
    rejectionReason: row.rejectionReason,
  };
}

/**
 * Tenant-scoped change streams for tRPC subscriptions: live events from the bus, and on a
 * reconnect (lastEventId) or after the listener lost its connection, what was missed, read back
 * from the audit and usage tables. Every query and every event is filtered by organization.
 */
export class RealtimeService {
  /** N subscribers of one organization share one read of each audit row. */
  private readonly auditRows = new LRUCache<number, Promise<ConfigAuditRow | null>>({ max: 2_000 });

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
  ) {}

  /** Platform and client configuration changes of an organization; with `clientId`, those that affect that client. */
  async *configChanges(req: StreamRequest & { clientId?: string }): AsyncGenerator<StreamItem<ConfigChange>> {
    const { organizationId, clientId } = req;
    if (clientId) await this.requireClient(organizationId, clientId);
    const scope = and(
      eq(aiConfigAudit.organizationId, organizationId),
      clientId
        ? or(eq(aiConfigAudit.clientId, clientId), eq(aiConfigAudit.entityKind, "platform_config"))
        : undefined,
    );
    yield* resumable<ConfigChangedEvent, ConfigChange>({
      bus: this.bus,
      request: req,
      match: (e): e is ConfigChangedEvent =>
        e.kind === "config" &&
        e.organizationId === organizationId &&
        (!clientId || e.clientId === clientId || e.entityKind === "platform_config"),
      idOf: (e) => e.auditId,
      load: async (e) => {
        const row = await this.auditRow(e.auditId);
        return row && row.organizationId === organizationId ? configChangeView(row) : null;
      },
      latest: async () => {
        const [row] = await this.db
          .select({ id: aiConfigAudit.id })
          .from(aiConfigAudit)
          .where(scope)
          .orderBy(desc(aiConfigAudit.id))
          .limit(1);
        return row?.id ?? 0;
      },
      replay: async (after) => {
        const rows = await this.db
          .select()
          .from(aiConfigAudit)
          .where(and(scope, gt(aiConfigAudit.id, after)))
          .orderBy(asc(aiConfigAudit.id))
          .limit(REPLAY_PAGE);
        return rows.map((row) => ({ id: row.id, data: configChangeView(row) }));
      },
    });
  }

  /** Every completed or rejected request of an organization, as it is recorded. */
  usage(req: StreamRequest): AsyncGenerator<StreamItem<UsageEvent>> {
    const scope: SQL | undefined = and(
      eq(aiUsageLogs.organizationId, req.organizationId),
      isNotNull(aiUsageLogs.eventSeq),
    );
    return resumable<UsageRecordedEvent, UsageEvent>({
      bus: this.bus,
      request: req,
      match: (e): e is UsageRecordedEvent => e.kind === "usage" && e.organizationId === req.organizationId,
      idOf: (e) => e.seq,
      load: async (e) => usageEventOf(e),
      latest: async () => {
        const [row] = await this.db
          .select({ seq: aiUsageLogs.eventSeq })
          .from(aiUsageLogs)
          .where(scope)
          .orderBy(desc(aiUsageLogs.eventSeq))
          .limit(1);
        return Number(row?.seq ?? 0);
      },
      replay: async (after) => {
        const rows = await this.db
          .select()
          .from(aiUsageLogs)
          .where(and(scope, gt(aiUsageLogs.eventSeq, after)))
          .orderBy(asc(aiUsageLogs.eventSeq))
          .limit(REPLAY_PAGE);
        return rows.map((row) => ({ id: Number(row.eventSeq), data: usageEventOf(row) }));
      },
    });
  }

  /** Every alert raised for an organization (one per crossing), read from the table by its id. */
  alerts(req: StreamRequest): AsyncGenerator<StreamItem<AlertView>> {
    const scope = eq(aiAlerts.organizationId, req.organizationId);
    return resumable<AlertRaisedEvent, AlertView>({
      bus: this.bus,
      request: req,
      match: (e): e is AlertRaisedEvent => e.kind === "alert" && e.organizationId === req.organizationId,
      idOf: (e) => e.alertId,
      load: async (e) => {
        const [row] = await this.db
          .select()
          .from(aiAlerts)
          .where(and(scope, eq(aiAlerts.id, e.alertId)));
        return row ? alertView(row) : null;
      },
      latest: async () => {
        const [row] = await this.db
          .select({ id: aiAlerts.id })
          .from(aiAlerts)
          .where(scope)
          .orderBy(desc(aiAlerts.id))
          .limit(1);
        return row?.id ?? 0;
      },
      replay: async (after) => {
        const rows = await this.db
          .select()
          .from(aiAlerts)
          .where(and(scope, gt(aiAlerts.id, after)))
          .orderBy(asc(aiAlerts.id))
          .limit(REPLAY_PAGE);
        return rows.map((row) => ({ id: row.id, data: alertView(row) }));
      },
    });
  }

  private async requireClient(organizationId: string, clientId: string) {
    const [client] = await this.db
      .select({ id: clients.id })
      .from(clients)
      .where(and(eq(clients.id, clientId), eq(clients.organizationId, organizationId)));
    // Another organization's client is reported exactly like a missing one.
    if (!client) throw new AppError("NOT_FOUND", "Client not found");
  }

  private auditRow(id: number): Promise<ConfigAuditRow | null> {
    let row = this.auditRows.get(id);
    if (!row) {
      row = this.db
        .select()
        .from(aiConfigAudit)
        .where(eq(aiConfigAudit.id, id))
        .then((rows) => rows[0] ?? null);
      row.catch(() => this.auditRows.delete(id));
      this.auditRows.set(id, row);
    }
    return row;
  }
}

interface ResumableSource<E extends PlatformEvent, T> {
  bus: EventBus;
  request: StreamRequest;
  match: (event: PlatformEvent) => event is E;
  idOf: (event: E) => number;
  load: (event: E) => Promise<T | null>;
  /** The newest id in scope now: where a fresh subscriber's stream begins. */
  latest: () => Promise<number>;
  /** Up to a page of items with ids after `after`, in id order. */
  replay: (after: number) => Promise<{ id: number; data: T }[]>;
}

async function* resumable<E extends PlatformEvent, T>(
  source: ResumableSource<E, T>,
): AsyncGenerator<StreamItem<T>> {
  const { signal, lastEventId } = source.request;
  if (signal?.aborted) return;
  const live = source.bus.stream(signal); // listening from here on
  const seen = new LRUCache<number, true>({ max: SEEN_WINDOW });
  const resumeFrom = lastEventId ? Number(lastEventId) : Number.NaN;
  let last = Number.isSafeInteger(resumeFrom) && resumeFrom >= 0 ? resumeFrom : await source.latest();

  async function* catchUp(): AsyncGenerator<StreamItem<T>> {
    for (;;) {
      const page = await source.replay(last);
      for (const item of page) {
        last = Math.max(last, item.id);
        if (seen.has(item.id)) continue;
        seen.set(item.id, true);
        yield { id: String(item.id), data: item.data };
      }
      if (page.length < REPLAY_PAGE) return;
    }
  }

  if (lastEventId) yield* catchUp();
  for await (const message of live) {
    // The listener was away: whatever it missed is in the tables.
    if (message.type === "resync") {
      yield* catchUp();
      continue;
    }
    const event = message.event;
    if (!source.match(event)) continue;
    const id = source.idOf(event);
    // Commit order is not id order: an older id arriving late is still new to this subscriber.
    if (seen.has(id)) continue;
    const data = await source.load(event);
    if (data === null) continue;
    seen.set(id, true);
    last = Math.max(last, id);
    yield { id: String(id), data };
  }
}
