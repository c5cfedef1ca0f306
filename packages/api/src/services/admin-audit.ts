import {
  type AuditEntityKind,
  addDays,
  aiConfigAudit,
  apiKeys,
  auditDiff,
  clients,
  type FeatureType,
  organizations,
  startOfDayInTimezone,
  users,
} from "@wedsync/core";
import { and, desc, eq, gte, ilike, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../infra/database";
import { containsPattern } from "./admin-organizations";

export interface AdminAuditQuery {
  organizationId?: string | undefined;
  /** A user's or an API key's id, or part of a person's name or email or a key's name. */
  actor?: string | undefined;
  featureType?: FeatureType | undefined;
  entityKind?: AuditEntityKind | undefined;
  /** First and last day ("YYYY-MM-DD", both inclusive) in `timeZone`. */
  from?: string | undefined;
  to?: string | undefined;
  timeZone: string;
  /** The previous page's nextCursor: entries older than it. */
  cursor?: number | undefined;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function actorMatch(actor: string): SQL | undefined {
  if (UUID.test(actor))
    return or(eq(aiConfigAudit.actorUserId, actor), eq(aiConfigAudit.actorApiKeyId, actor));
  const pattern = containsPattern(actor);
  return or(ilike(users.name, pattern), ilike(users.email, pattern), ilike(apiKeys.name, pattern));
}

/**
 * The configuration audit trail across every organization (platform staff), newest first, a page
 * at a time. Each entry names its organization, who made it (a person, saying whether platform
 * staff, or an API key) and the client it is about, with its before, after and the diff between.
 */
export class AdminAuditService {
  constructor(private readonly db: Database) {}

  async list(q: AdminAuditQuery) {
    const a = aiConfigAudit;
    const rows = await this.db
      .select({
        id: a.id,
        createdAt: a.createdAt,
        organizationId: a.organizationId,
        organizationName: organizations.name,
        entityKind: a.entityKind,
        entityId: a.entityId,
        action: a.action,
        version: a.version,
        clientId: a.clientId,
        clientName: clients.coupleNames,
        actorUserId: a.actorUserId,
        actorApiKeyId: a.actorApiKeyId,
        userName: users.name,
        userIsStaff: users.isPlatformStaff,
        apiKeyName: apiKeys.name,
        before: a.before,
        after: a.after,
      })
      .from(a)
      .innerJoin(organizations, eq(organizations.id, a.organizationId))
      .leftJoin(users, eq(users.id, a.actorUserId))
      .leftJoin(apiKeys, eq(apiKeys.id, a.actorApiKeyId))
      .leftJoin(clients, eq(clients.id, a.clientId))
      .where(
        and(
          q.organizationId ? eq(a.organizationId, q.organizationId) : undefined,
          q.actor ? actorMatch(q.actor) : undefined,
          q.featureType ? sql`${a.after}->>'featureType' = ${q.featureType}` : undefined,
          q.entityKind ? eq(a.entityKind, q.entityKind) : undefined,
          // Days turned into instants with the runtime's timezone rules, as every other day is counted.
          q.from ? gte(a.createdAt, startOfDayInTimezone(q.from, q.timeZone)) : undefined,
          q.to ? lt(a.createdAt, startOfDayInTimezone(addDays(q.to, 1), q.timeZone)) : undefined,
          q.cursor ? lt(a.id, q.cursor) : undefined,
        ),
      )
      .orderBy(desc(a.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    return {
      entries: page.map(({ userName, userIsStaff, apiKeyName, ...e }) => ({
        ...e,
        featureType: ((e.after as { featureType?: FeatureType } | null)?.featureType ??
          null) as FeatureType | null,
        /** Who made the change; name null when the person or key has since been removed. */
        actor: e.actorUserId
          ? {
              kind: "user" as const,
              id: e.actorUserId,
              name: userName,
              isPlatformStaff: userIsStaff ?? false,
            }
          : e.actorApiKeyId
            ? { kind: "apiKey" as const, id: e.actorApiKeyId, name: apiKeyName, isPlatformStaff: false }
            : { kind: "removed" as const, id: null, name: null, isPlatformStaff: false },
        changes: auditDiff(e.before, e.after),
      })),
      nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }
}
