import {
  aiPlatformConfigs,
  type ClientStatus,
  clients,
  FEATURE_TYPES,
  isFeatureAvailable,
  type MemberRole,
  memberships,
  organizations,
  type SubscriptionTier,
  users,
} from "@wedsync/core";
import { asc, count, eq } from "drizzle-orm";
import { hashPassword } from "../auth/passwords";
import type { Database } from "../infra/database";

export interface NewOrganization {
  name: string;
  slug: string;
  tier: SubscriptionTier;
  billingEmail: string;
  timezone?: string;
  monthlyCreditLimit?: string;
}

/** Organizations, their people and their clients: the tenants everything else is scoped to. */
export class OrganizationService {
  constructor(private readonly db: Database) {}

  /** A new organization with one platform config per feature, enabled where its tier allows. */
  async createOrganization(input: NewOrganization) {
    return this.db.transaction(async (tx) => {
      const [org] = await tx
        .insert(organizations)
        .values({
          name: input.name,
          slug: input.slug,
          subscriptionTier: input.tier,
          billingEmail: input.billingEmail,
          timezone: input.timezone ?? "UTC",
          monthlyCreditLimit: input.monthlyCreditLimit ?? "100.00",
        })
        .returning();
      await tx.insert(aiPlatformConfigs).values(
        FEATURE_TYPES.map((featureType) => ({
          organizationId: org!.id,
          featureType,
          isEnabled: isFeatureAvailable(input.tier, featureType),
        })),
      );
      return org!;
    });
  }

  async createUser(input: { email: string; name: string; password: string; isPlatformStaff?: boolean }) {
    const [user] = await this.db
      .insert(users)
      .values({
        email: input.email.trim().toLowerCase(),
        name: input.name,
        passwordHash: await hashPassword(input.password),
        isPlatformStaff: input.isPlatformStaff ?? false,
      })
      .returning();
    return user!;
  }

  async addMember(organizationId: string, userId: string, role: MemberRole) {
    await this.db.insert(memberships).values({ organizationId, userId, role });
  }

  async createClient(input: {
    organizationId: string;
    coupleNames: string;
    weddingDate?: string | null;
    venue?: string | null;
    status?: ClientStatus;
  }) {
    const [client] = await this.db.insert(clients).values(input).returning();
    return client!;
  }

  /** Staff view: every organization with its size. */
  async listOrganizations() {
    const rows = await this.db
      .select({
        id: organizations.id,
        name: organizations.name,
        slug: organizations.slug,
        tier: organizations.subscriptionTier,
        timezone: organizations.timezone,
        monthlyCreditLimit: organizations.monthlyCreditLimit,
        billingEmail: organizations.billingEmail,
        createdAt: organizations.createdAt,
      })
      .from(organizations)
      .orderBy(asc(organizations.name));
    const clientCounts = await this.db
      .select({ organizationId: clients.organizationId, n: count() })
      .from(clients)
      .groupBy(clients.organizationId);
    const byOrg = new Map(clientCounts.map((c) => [c.organizationId, Number(c.n)]));
    return rows.map((r) => ({ ...r, clientCount: byOrg.get(r.id) ?? 0 }));
  }

  async exists(organizationId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, organizationId));
    return Boolean(row);
  }

  async isEmpty(): Promise<boolean> {
    const [row] = await this.db.select({ n: count() }).from(organizations);
    return Number(row?.n ?? 0) === 0;
  }
}
