import {
  type AuditAction,
  type AuditEntityKind,
  aiConfigAudit,
  apiKeys,
  clients,
  users,
} from "@wedsync/core";
import { and, desc, eq, getTableColumns, lt, ne } from "drizzle-orm";
import type { Database, Executor } from "../infra/database";
import { publishEvents } from "../infra/event-bus";

export interface Actor {
  actorUserId: string | null;
  actorApiKeyId: string | null;
}

export interface AuditEntry {
  entityKind: AuditEntityKind;
  entityId: string;
  organizationId: string;
  /** The client, for client-config entries. */
  clientId?: string | null;
  action: AuditAction;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  version: number;
}

/**
 * Written inside the caller's transaction, so a change, its audit row and the change event that
 * tells every instance (caches, live dashboards) all commit together or not at all.
 */
export async function writeAudit(tx: Executor, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const written = await tx
    .insert(aiConfigAudit)
    .values(entries.map((e) => ({ ...e, clientId: e.clientId ?? null, ...actor })))
    .returning({
      id: aiConfigAudit.id,
      organizationId: aiConfigAudit.organizationId,
      entityKind: aiConfigAudit.entityKind,
      entityId: aiConfigAudit.entityId,
      clientId: aiConfigAudit.clientId,
      version: aiConfigAudit.version,
    });
  await publishEvents(
    tx,
    written.map(({ id, ...row }) => ({ kind: "config" as const, auditId: id, ...row })),
  );
}

export async function listAudit(
  db: Database,
  input: {
    organizationId: string;
    entityId?: string | undefined;
    before?: number | undefined;
    limit: number;
  },
) {
  // Names to show beside each entry: who made it (a person or an API key) and which client it is
  // about. A removed person, key or client leaves its name null, the ids stay.
  const rows = await db
    .select({
      ...getTableColumns(aiConfigAudit),
      actorName: users.name,
      apiKeyName: apiKeys.name,
      clientName: clients.coupleNames,
    })
    .from(aiConfigAudit)
    .leftJoin(users, eq(users.id, aiConfigAudit.actorUserId))
    .leftJoin(apiKeys, eq(apiKeys.id, aiConfigAudit.actorApiKeyId))
    .leftJoin(clients, eq(clients.id, aiConfigAudit.clientId))
    .where(
      and(
        eq(aiConfigAudit.organizationId, input.organizationId),
        // The organization's configuration history: emergency throttles are not its settings (its
        // banner shows them; staff list them with throttles.list and the cross-organization audit).
        ne(aiConfigAudit.entityKind, "throttle"),
        input.entityId ? eq(aiConfigAudit.entityId, input.entityId) : undefined,
        input.before ? lt(aiConfigAudit.id, input.before) : undefined,
      ),
    )
    .orderBy(desc(aiConfigAudit.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { entries: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}
