import { randomUUID } from "node:crypto";
import { hashPassword } from "@wedsync/api/passwords";
import type { RunningServer } from "@wedsync/api/server";
import { createWedsyncClient, createWedsyncSessionClient, type WedsyncClient } from "@wedsync/client";
import { type MemberRole, memberships, type SubscriptionTier, users } from "@wedsync/core";

export const TEST_PASSWORD = "correct horse battery staple";
// One scrypt hash for every test user: hashing is deliberately slow and the suite creates hundreds.
const sharedHash = hashPassword(TEST_PASSWORD);

export type SessionClient = WedsyncClient;

export interface Tenant {
  organizationId: string;
  slug: string;
  emails: Record<MemberRole, string>;
  clientIds: string[];
  /** A signed-in client for the owner, admin or member. */
  as(role: MemberRole): Promise<SessionClient>;
  /** A fresh API key with that role, and a client using it. */
  apiKey(
    role: "admin" | "member",
  ): Promise<{ key: string; id: string; client: ReturnType<typeof createWedsyncClient> }>;
}

/** A fresh organization per test: owner, admin, member, and `clients` clients. */
export async function createTenant(
  server: RunningServer,
  opts: { tier?: SubscriptionTier; clients?: number; timezone?: string } = {},
): Promise<Tenant> {
  const { organizations, db } = server.services;
  const slug = `t-${randomUUID().slice(0, 12)}`;
  const org = await organizations.createOrganization({
    name: `Test Org ${slug}`,
    slug,
    tier: opts.tier ?? "enterprise",
    billingEmail: `billing@${slug}.test`,
    timezone: opts.timezone ?? "UTC",
  });
  const emails = {} as Record<MemberRole, string>;
  for (const role of ["owner", "admin", "member"] as const) {
    const email = `${role}@${slug}.test`;
    const [user] = await db
      .insert(users)
      .values({ email, name: `${role} of ${slug}`, passwordHash: await sharedHash })
      .returning();
    await db.insert(memberships).values({ userId: user!.id, organizationId: org.id, role });
    emails[role] = email;
  }
  const clientIds: string[] = [];
  for (let i = 0; i < (opts.clients ?? 2); i++) {
    const c = await organizations.createClient({
      organizationId: org.id,
      coupleNames: `Couple ${i} of ${slug}`,
      weddingDate: "2027-06-12",
      venue: "Test Venue",
    });
    clientIds.push(c.id);
  }
  return {
    organizationId: org.id,
    slug,
    emails,
    clientIds,
    as: (role) => signIn(server, emails[role]),
    apiKey: async (role) => {
      const owner = await signIn(server, emails.owner);
      const created = await owner.apiKeys.create.mutate({ name: `${role} key`, role });
      return {
        key: created.secret,
        id: created.apiKey.id,
        client: createWedsyncClient({ url: server.url, apiKey: created.secret }),
      };
    },
  };
}

export async function createStaffUser(server: RunningServer): Promise<SessionClient> {
  const email = `staff-${randomUUID().slice(0, 8)}@wedsync.test`;
  await server.services.db
    .insert(users)
    .values({ email, name: "Staff", passwordHash: await sharedHash, isPlatformStaff: true });
  return signIn(server, email);
}

export async function signIn(server: RunningServer, email: string): Promise<SessionClient> {
  const client = createWedsyncSessionClient({ url: server.url });
  await client.auth.login.mutate({ email, password: TEST_PASSWORD });
  return client;
}
