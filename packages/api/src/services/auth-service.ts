import {
  AppError,
  apiKeys,
  type FeatureType,
  type MemberRole,
  memberships,
  organizations,
  sessions,
  users,
} from "@wedsync/core";
import { and, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { DUMMY_HASH_PROMISE, verifyPassword } from "../auth/passwords";
import type { ApiKeyPrincipal, OrgScope, UserPrincipal } from "../auth/principal";
import { API_KEY_PATTERN, newApiKey, newSessionToken, sha256 } from "../auth/tokens";
import type { Database } from "../infra/database";
import type { RateLimiter } from "../infra/rate-limiter";

export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const LAST_USED_RESOLUTION_MS = 60_000;
const API_KEY_CACHE_TTL_MS = 30_000;

export interface AuthServiceOptions {
  loginLimitPerEmail: number;
  loginLimitPerIp: number;
}

export class AuthService {
  private readonly keyCache = new LRUCache<string, { principal: ApiKeyPrincipal; lastUsedAt: number }>({
    max: 10_000,
    ttl: API_KEY_CACHE_TTL_MS,
  });

  constructor(
    private readonly db: Database,
    private readonly limiter: RateLimiter,
    private readonly opts: AuthServiceOptions,
  ) {}

  async login(input: { email: string; password: string; ip: string }) {
    const email = input.email.trim().toLowerCase();
    const [byEmail, byIp] = await Promise.all([
      this.limiter.limit(`login:email:${email}`, {
        limit: this.opts.loginLimitPerEmail,
        windowMs: LOGIN_WINDOW_MS,
      }),
      this.limiter.limit(`login:ip:${input.ip}`, {
        limit: this.opts.loginLimitPerIp,
        windowMs: LOGIN_WINDOW_MS,
      }),
    ]).catch((err: unknown) => {
      // Fail closed: no login without the limiter that protects it.
      throw new AppError("SERVICE_UNAVAILABLE", "Sign-in is briefly unavailable; try again shortly", {
        cause: err,
      });
    });
    const blocked = !byEmail.success ? byEmail : !byIp.success ? byIp : null;
    if (blocked) {
      const retryAfterSeconds = Math.max(1, Math.ceil((blocked.reset - Date.now()) / 1000));
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `Too many login attempts; try again in ${retryAfterSeconds} s`,
        {
          details: { retryAfterSeconds, limit: blocked.limit, remaining: 0 },
        },
      );
    }

    const [user] = await this.db.select().from(users).where(eq(users.email, email)).limit(1);
    const ok = await verifyPassword(input.password, user?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok) throw new AppError("UNAUTHORIZED", "Wrong email or password");

    const owned = await this.membershipsOf(user.id);
    const token = newSessionToken();
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await this.db.insert(sessions).values({
      tokenHash: sha256(token),
      userId: user.id,
      organizationId: owned[0]?.organizationId ?? null,
      expiresAt,
    });
    return { token, expiresAt };
  }

  async logout(sessionId: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.id, sessionId));
  }

  /** The user behind a session cookie, or null when it is unknown or expired. */
  async resolveSession(token: string): Promise<UserPrincipal | null> {
    if (token.length > 100) return null;
    const [row] = await this.db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, new Date())))
      .limit(1);
    if (!row) return null;
    return {
      kind: "user",
      userId: row.user.id,
      email: row.user.email,
      name: row.user.name,
      isPlatformStaff: row.user.isPlatformStaff,
      sessionId: row.session.id,
      sessionOrganizationId: row.session.organizationId,
      memberships: await this.membershipsOf(row.user.id),
    };
  }

  /**
   * The key behind an `Authorization: Bearer` value, or null when unknown, malformed or revoked.
   * Found keys are cached briefly (every API request starts here); revoking through this
   * instance evicts at once, and the TTL bounds how long another instance may still accept one.
   */
  async resolveApiKey(key: string): Promise<ApiKeyPrincipal | null> {
    if (!API_KEY_PATTERN.test(key)) return null;
    const hash = sha256(key);
    const cached = this.keyCache.get(hash);
    if (cached) {
      await this.touchApiKey(cached);
      return cached.principal;
    }
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!row) return null;
    const entry = {
      principal: {
        kind: "apiKey" as const,
        apiKeyId: row.id,
        organizationId: row.organizationId,
        role: row.role,
        defaultFeature: row.defaultFeature,
      },
      lastUsedAt: row.lastUsedAt?.getTime() ?? 0,
    };
    this.keyCache.set(hash, entry);
    await this.touchApiKey(entry);
    return entry.principal;
  }

  /** last_used_at is a hint, not an audit: written at most once a minute per key. */
  private async touchApiKey(entry: { principal: ApiKeyPrincipal; lastUsedAt: number }) {
    const now = Date.now();
    if (now - entry.lastUsedAt <= LAST_USED_RESOLUTION_MS) return;
    entry.lastUsedAt = now;
    await this.db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(
        and(
          eq(apiKeys.id, entry.principal.apiKeyId),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now - LAST_USED_RESOLUTION_MS))),
        ),
      );
  }

  async switchOrganization(principal: UserPrincipal, scope: OrgScope): Promise<void> {
    await this.db
      .update(sessions)
      .set({ organizationId: scope.organizationId })
      .where(eq(sessions.id, principal.sessionId));
  }

  async describe(principal: UserPrincipal) {
    const orgs = await this.db
      .select({
        id: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        tier: organizations.subscriptionTier,
        role: memberships.role,
      })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
      .where(eq(memberships.userId, principal.userId))
      .orderBy(organizations.name);
    return {
      user: {
        id: principal.userId,
        email: principal.email,
        name: principal.name,
        isPlatformStaff: principal.isPlatformStaff,
      },
      currentOrganizationId: principal.sessionOrganizationId ?? orgs[0]?.id ?? null,
      organizations: orgs,
    };
  }

  async createApiKey(input: {
    organizationId: string;
    name: string;
    role: MemberRole;
    defaultFeature: FeatureType | null;
    createdBy: string | null;
  }) {
    const { key, prefix } = newApiKey();
    const [row] = await this.db
      .insert(apiKeys)
      .values({
        organizationId: input.organizationId,
        name: input.name,
        keyHash: sha256(key),
        prefix,
        role: input.role,
        defaultFeature: input.defaultFeature,
        createdBy: input.createdBy,
      })
      .returning();
    return { apiKey: toApiKeyView(row!), secret: key };
  }

  async listApiKeys(organizationId: string) {
    const rows = await this.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.organizationId, organizationId))
      .orderBy(desc(apiKeys.createdAt));
    return rows.map(toApiKeyView);
  }

  async revokeApiKey(organizationId: string, id: string) {
    const [row] = await this.db
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), eq(apiKeys.organizationId, organizationId), isNull(apiKeys.revokedAt)))
      .returning();
    if (row) {
      this.keyCache.delete(row.keyHash);
      return toApiKeyView(row);
    }
    // Already revoked is fine (idempotent); another organization's key does not exist for this caller.
    const [existing] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), eq(apiKeys.organizationId, organizationId)));
    if (!existing) throw new AppError("NOT_FOUND", "API key not found");
    return toApiKeyView(existing);
  }

  private membershipsOf(userId: string) {
    return this.db
      .select({ organizationId: memberships.organizationId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(memberships.createdAt);
  }
}

function toApiKeyView(row: typeof apiKeys.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    defaultFeature: row.defaultFeature,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}
