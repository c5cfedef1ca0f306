import { type AuditAction, type AuditEntityKind, aiConfigAudit } from "@wedsync/core";
import { and, desc, eq, lt } from "drizzle-orm";
import type { Database, Executor } from "../infra/database";

export interface Actor {
  actorUserId: string | null;
  actorApiKeyId: string | null;
}

export interface AuditEntry {
  entityKind: AuditEntityKind;
  entityId: string;
  organizationId: string;
  action: AuditAction;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  version: number;
}

/** Written inside the caller's transaction, so a change and its audit row commit together. */
export async function writeAudit(tx: Executor, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.insert(aiConfigAudit).values(entries.map((e) => ({ ...e, ...actor })));
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
  const rows = await db
    .select()
    .from(aiConfigAudit)
    .where(
      and(
        eq(aiConfigAudit.organizationId, input.organizationId),
        input.entityId ? eq(aiConfigAudit.entityId, input.entityId) : undefined,
        input.before ? lt(aiConfigAudit.id, input.before) : undefined,
      ),
    )
    .orderBy(desc(aiConfigAudit.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { entries: page, nextCursor: rows.length > input.limit ? (page.at(-1)?.id ?? null) : null };
}
