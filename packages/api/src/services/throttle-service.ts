import {
  AppError,
  aiThrottles,
  capsStrictestFirst,
  compareStrictness,
  type FeatureType,
  organizations,
  refusalRetryAfterSeconds,
  strictest,
  type Throttle,
  type ThrottleInput,
  type ThrottleRow,
  throttledMessage,
  throttleExpiryProblem,
  throttleStatus,
  throttlesApplying,
  users,
} from "@wedsync/core";
import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Database, Executor } from "../infra/database";
import { type EventBus, publishEvents } from "../infra/event-bus";
import type { Logger } from "../infra/logger";
import type { RateLimiter } from "../infra/rate-limiter";
import { type Actor, type AuditEntry, writeAudit } from "./audit-log";

/** A cap counts requests per minute, sliding, in a key space of its own. */
export const THROTTLE_WINDOW_MS = 60_000;
export const throttleLimitKey = (throttleId: string) => `th:${throttleId}`;

/**
 * The in-memory copy is reloaded on every throttle event and listener reconnect; as the fallback
 * for a notification that never came, admission reloads it in the background once it is older
 * than RELOAD_MS, and waits for the reload once it is older than STALE_MS (after a quiet spell).
 */
const RELOAD_MS = 2_000;
const STALE_MS = 10_000;
/** Audit entries per insert, for a throttle that reaches every organization. */
const AUDIT_CHUNK = 500;

/** What admission asks before anything else: null to go on, or the error that turns the request away. */
export interface ThrottleGate {
  check(organizationId: string, featureType: FeatureType, now: Date): Promise<AppError | null>;
}

function throttleOf(row: ThrottleRow): Throttle {
  return {
    id: row.id,
    scope: row.scope,
    organizationId: row.organizationId,
    featureType: row.featureType,
    mode: row.mode,
    perMinute: row.perMinute,
    reason: row.reason,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    liftedAt: row.liftedAt,
  };
}

/** The throttle as an audit entry records it (a lift's entry has liftedAt set). */
function auditSnapshot(row: ThrottleRow): Record<string, unknown> {
  return {
    scope: row.scope,
    ...(row.organizationId && { organizationId: row.organizationId }),
    // Under this key, so a filter by feature finds the feature's throttles with its settings.
    ...(row.featureType && { featureType: row.featureType }),
    mode: row.mode,
    perMinute: row.perMinute,
    reason: row.reason,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    liftedAt: row.liftedAt?.toISOString() ?? null,
  };
}

/** What an affected organization is told (the supplier app's banner): no staff names. */
export function activeThrottleView(t: Throttle) {
  return {
    id: t.id,
    scope: t.scope,
    featureType: t.featureType,
    mode: t.mode,
    perMinute: t.perMinute,
    reason: t.reason,
    expiresAt: t.expiresAt,
    createdAt: t.createdAt,
  };
}

/** A page position: the last item's creation instant (milliseconds, as written) and id. */
function parseCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = cursor.split("|");
  const date = new Date(at ?? "");
  const shape = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(at ?? "");
  if (!shape || !id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw new AppError("BAD_REQUEST", "cursor is not one this list gave", {
      fieldErrors: [{ field: "cursor", message: "pass back nextCursor from the previous page" }],
    });
  }
  return { at: date, id };
}

/**
 * Emergency throttles: set, lift and list them (staff), say which reach an organization (its
 * banner), and — on the admission path — turn requests away by the throttles in force, from a
 * copy every instance keeps in memory and reloads when any instance changes one.
 */
export class ThrottleService implements ThrottleGate {
  private active: Throttle[] = [];
  private loadedAt = 0;
  private current: Promise<void> | null = null;
  private next: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly limiter: RateLimiter,
    private readonly logger: Logger,
  ) {}

  /** Reload whenever any instance sets or lifts a throttle, or events may have been missed. */
  attach(bus: EventBus): () => void {
    return bus.subscribe((message) => {
      if (message.type === "resync" || message.event.kind === "throttle") void this.reloadQuietly();
    });
  }

  /**
   * Admission's first step: the strictest throttle in force reaching the request refuses it
   * (SERVICE_UNAVAILABLE), or its caps count it, smallest first, until one is full
   * (TOO_MANY_REQUESTS). Null: nothing stops it here. No query unless the copy is stale.
   */
  async check(organizationId: string, featureType: FeatureType, now: Date): Promise<AppError | null> {
    const age = Date.now() - this.loadedAt;
    if (age >= STALE_MS) await this.reloadQuietly();
    else if (age >= RELOAD_MS) void this.reloadQuietly();
    if (this.active.length === 0) return null;
    const applying = throttlesApplying(this.active, { organizationId, featureType }, now);
    const first = strictest(applying);
    if (!first) return null;
    if (first.mode === "refuse") {
      const retryAfterSeconds = refusalRetryAfterSeconds(first, now);
      return new AppError("SERVICE_UNAVAILABLE", throttledMessage(first, retryAfterSeconds), {
        details: this.details(first, retryAfterSeconds),
      });
    }
    for (const cap of capsStrictestFirst(applying)) {
      const limit = cap.perMinute ?? 0;
      let rl: Awaited<ReturnType<RateLimiter["limit"]>>;
      try {
        rl = await this.limiter.limit(throttleLimitKey(cap.id), { limit, windowMs: THROTTLE_WINDOW_MS });
      } catch (err) {
        // Fail closed, as the rate limit does: a cap that cannot be counted lets nothing through.
        return new AppError("SERVICE_UNAVAILABLE", "Rate limiting is unavailable; try again shortly", {
          cause: err,
        });
      }
      if (!rl.success) {
        const retryAfterSeconds = Math.max(1, Math.ceil((rl.reset - now.getTime()) / 1000));
        return new AppError("TOO_MANY_REQUESTS", throttledMessage(cap, retryAfterSeconds), {
          details: { ...this.details(cap, retryAfterSeconds), limit, remaining: rl.remaining },
        });
      }
    }
    return null;
  }

  private details(t: Throttle, retryAfterSeconds: number) {
    return {
      reason: "throttled",
      retryAfterSeconds,
      throttle: {
        scope: t.scope,
        featureType: t.featureType,
        mode: t.mode,
        perMinute: t.perMinute,
        reason: t.reason,
        expiresAt: t.expiresAt?.toISOString() ?? null,
      },
    };
  }

  /** Set a throttle; audited once per organization it reaches, with the staff member as actor. */
  async set(input: ThrottleInput, actor: Actor, now: Date = new Date()) {
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    const problem = expiresAt && throttleExpiryProblem(expiresAt, now);
    if (problem) {
      throw new AppError("BAD_REQUEST", `expiresAt ${problem}`, {
        fieldErrors: [{ field: "expiresAt", message: problem }],
      });
    }
    const row = await this.db.transaction(async (tx) => {
      const reached = await this.organizationsReached(tx, input.scope, input.organizationId ?? null);
      const [inserted] = await tx
        .insert(aiThrottles)
        .values({
          scope: input.scope,
          organizationId: input.scope === "organization" ? (input.organizationId ?? null) : null,
          featureType: input.scope === "feature" ? (input.featureType ?? null) : null,
          mode: input.mode,
          perMinute: input.mode === "cap" ? (input.perMinute ?? null) : null,
          reason: input.reason,
          expiresAt,
          createdBy: actor.actorUserId,
          // The application's clock, to the millisecond: list pages resume from it exactly.
          createdAt: now,
        })
        .returning();
      const row = inserted as ThrottleRow;
      await this.audit(tx, actor, reached, row, "create", null, 1);
      await publishEvents(tx, [{ kind: "throttle", throttleId: row.id, action: "set" }]);
      return row;
    });
    // In force on this instance before the answer; the others reload on the event.
    await this.reloadQuietly();
    return throttleOf(row);
  }

  /** Lift a throttle in force (history kept); audited like set. */
  async lift(id: string, actor: Actor, now: Date = new Date()) {
    const row = await this.db.transaction(async (tx) => {
      const [found] = await tx.select().from(aiThrottles).where(eq(aiThrottles.id, id)).for("update");
      if (!found) throw new AppError("NOT_FOUND", "Throttle not found");
      const status = throttleStatus(found, now);
      if (status !== "active") {
        const at = (status === "lifted" ? found.liftedAt : found.expiresAt)?.toISOString();
        throw new AppError(
          "CONFLICT",
          `This throttle ${status === "lifted" ? "was already lifted" : "already expired"} at ${at}; nothing to lift`,
          { details: { status } },
        );
      }
      const [updated] = await tx
        .update(aiThrottles)
        .set({ liftedAt: now, liftedBy: actor.actorUserId })
        .where(and(eq(aiThrottles.id, id), isNull(aiThrottles.liftedAt)))
        .returning();
      const lifted = updated as ThrottleRow;
      const reached = await this.organizationsReached(tx, found.scope, found.organizationId);
      await this.audit(tx, actor, reached, lifted, "update", found, 2);
      await publishEvents(tx, [{ kind: "throttle", throttleId: id, action: "lift" }]);
      return lifted;
    });
    await this.reloadQuietly();
    return throttleOf(row);
  }

  /**
   * Throttles newest first, with the organization's and the staff members' names: all, only those
   * in force (`active: true`) or only those that ended (`false`). Pages: pass nextCursor back.
   */
  async list(input: { active?: boolean | undefined; limit: number; cursor?: string | undefined }, now: Date) {
    const creator = alias(users, "throttle_creator");
    const lifter = alias(users, "throttle_lifter");
    const inForce = and(
      isNull(aiThrottles.liftedAt),
      or(isNull(aiThrottles.expiresAt), gt(aiThrottles.expiresAt, now)),
    );
    const ended = or(isNotNull(aiThrottles.liftedAt), lte(aiThrottles.expiresAt, now));
    const after = input.cursor ? parseCursor(input.cursor) : null;
    const rows = await this.db
      .select({
        throttle: aiThrottles,
        organizationName: organizations.name,
        createdByName: creator.name,
        liftedByName: lifter.name,
      })
      .from(aiThrottles)
      .leftJoin(organizations, eq(organizations.id, aiThrottles.organizationId))
      .leftJoin(creator, eq(creator.id, aiThrottles.createdBy))
      .leftJoin(lifter, eq(lifter.id, aiThrottles.liftedBy))
      .where(
        and(
          input.active === undefined ? undefined : input.active ? inForce : ended,
          after
            ? sql`(${aiThrottles.createdAt}, ${aiThrottles.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
            : undefined,
        ),
      )
      .orderBy(desc(aiThrottles.createdAt), desc(aiThrottles.id))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = page.at(-1)?.throttle;
    return {
      items: page.map(({ throttle: t, organizationName, createdByName, liftedByName }) => ({
        ...throttleOf(t),
        status: throttleStatus(t, now),
        organizationName,
        createdBy: t.createdBy ? { id: t.createdBy, name: createdByName } : null,
        liftedBy: t.liftedBy ? { id: t.liftedBy, name: liftedByName } : null,
      })),
      nextCursor: rows.length > input.limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null,
    };
  }

  /**
   * The throttles reaching an organization now (its own, any feature's, the platform's), strictest
   * first: read from the database, so a banner refreshed by the change event shows the change.
   */
  async activeFor(organizationId: string, now: Date) {
    const each = await this.activeForEach([organizationId], now);
    return { throttles: each.get(organizationId) ?? [] };
  }

  /** The same for a page of organizations at once (the staff list): one query, whatever the count. */
  async activeForEach(organizationIds: readonly string[], now: Date) {
    const out = new Map<string, ReturnType<typeof activeThrottleView>[]>();
    if (organizationIds.length === 0) return out;
    const rows = await this.db
      .select()
      .from(aiThrottles)
      .where(
        and(
          isNull(aiThrottles.liftedAt),
          or(isNull(aiThrottles.expiresAt), gt(aiThrottles.expiresAt, now)),
          or(
            eq(aiThrottles.scope, "platform"),
            eq(aiThrottles.scope, "feature"),
            inArray(aiThrottles.organizationId, [...organizationIds]),
          ),
        ),
      );
    const all = rows.map(throttleOf);
    for (const organizationId of organizationIds) {
      const applying = throttlesApplying(all, { organizationId }, now);
      out.set(organizationId, applying.sort(compareStrictness).map(activeThrottleView));
    }
    return out;
  }

  /** Resolves once a load that started after this call has finished (or failed, logged). */
  reloadQuietly(): Promise<void> {
    return this.reload().catch((err: unknown) => {
      this.logger.warn({ err }, "reloading emergency throttles failed; the last copy stays in force");
    });
  }

  private reload(): Promise<void> {
    if (!this.current) {
      this.current = this.load().finally(() => {
        this.current = null;
      });
      return this.current;
    }
    // A load is running, but it may have read before the change that asks for this one.
    this.next ??= this.current
      .catch(() => {})
      .then(() => {
        this.next = null;
        return this.reload();
      });
    return this.next;
  }

  private async load(): Promise<void> {
    const started = Date.now();
    const rows = await this.db
      .select()
      .from(aiThrottles)
      .where(
        and(
          isNull(aiThrottles.liftedAt),
          or(isNull(aiThrottles.expiresAt), gt(aiThrottles.expiresAt, new Date(started))),
        ),
      );
    this.active = rows.map(throttleOf);
    this.loadedAt = started;
  }

  /** The organizations a throttle reaches: its own (which must exist), or every one. */
  private async organizationsReached(
    tx: Executor,
    scope: Throttle["scope"],
    organizationId: string | null,
  ): Promise<string[]> {
    if (scope !== "organization") {
      return (await tx.select({ id: organizations.id }).from(organizations)).map((o) => o.id);
    }
    const [org] = organizationId
      ? await tx
          .select({ id: organizations.id })
          .from(organizations)
          .where(eq(organizations.id, organizationId))
      : [];
    if (!org) {
      throw new AppError("NOT_FOUND", "Organization not found", {
        fieldErrors: [{ field: "organizationId", message: "no organization has this id" }],
      });
    }
    return [org.id];
  }

  /**
   * One audit entry per organization reached: each organization's history and live change stream
   * carry it (the supplier app's banner refreshes on it). Written in chunks: a platform throttle
   * reaches every organization.
   */
  private async audit(
    tx: Executor,
    actor: Actor,
    organizationIds: string[],
    row: ThrottleRow,
    action: "create" | "update",
    before: ThrottleRow | null,
    version: number,
  ) {
    const entries: AuditEntry[] = organizationIds.map((organizationId) => ({
      entityKind: "throttle",
      entityId: row.id,
      organizationId,
      action,
      before: before && auditSnapshot(before),
      after: auditSnapshot(row),
      version,
    }));
    for (let i = 0; i < entries.length; i += AUDIT_CHUNK) {
      await writeAudit(tx, actor, entries.slice(i, i + AUDIT_CHUNK));
    }
  }
}
