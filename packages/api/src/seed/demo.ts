import type { MemberRole, SubscriptionTier } from "@wedsync/core";
import type { Services } from "../services";

export const DEMO_PASSWORD = "wedsync-demo";

const ORGS: Array<{
  name: string;
  slug: string;
  tier: SubscriptionTier;
  timezone: string;
  credit: string;
  clients: string[][];
}> = [
  {
    name: "Bloom & Petal Florals",
    slug: "bloom-petal",
    tier: "free",
    timezone: "Europe/London",
    credit: "50.00",
    clients: [
      ["Amelia & Oliver", "2027-06-12", "Kew Gardens, London"],
      ["Isla & Noah", "2027-07-03", "The Barn at Bury Court"],
      ["Grace & Harry", "2027-08-21", "Babington House"],
      ["Sophie & George", "2027-05-29", "Syon Park"],
      ["Ava & Jack", "2027-09-11", "Chiswick House"],
    ],
  },
  {
    name: "Golden Hour Photography",
    slug: "golden-hour",
    tier: "professional",
    timezone: "America/New_York",
    credit: "250.00",
    clients: [
      ["Emma & Liam", "2027-06-19", "The Plaza, New York"],
      ["Olivia & Ethan", "2027-10-09", "Brooklyn Botanic Garden"],
      ["Mia & Lucas", "2027-09-25", "Glen Manor Vineyards"],
      ["Charlotte & Mason", "2027-05-15", "Hotel du Pont"],
      ["Harper & Logan", "2027-08-07", "Blue Hill at Stone Barns"],
      ["Evelyn & James", "2027-11-13", "Cipriani Wall Street"],
    ],
  },
  {
    name: "Evermore Wedding Planners",
    slug: "evermore",
    tier: "enterprise",
    timezone: "Europe/Paris",
    credit: "1000.00",
    clients: [
      ["Chloé & Louis", "2027-06-26", "Château de Chantilly"],
      ["Léa & Hugo", "2027-07-17", "Domaine de Primard"],
      ["Manon & Gabriel", "2027-09-04", "Villa Ephrussi de Rothschild"],
      ["Camille & Arthur", "2027-05-22", "Château de Vaux-le-Vicomte"],
      ["Inès & Raphaël", "2027-08-28", "Hôtel du Cap-Eden-Roc"],
      ["Jade & Jules", "2027-10-02", "Château Smith Haut Lafitte"],
    ],
  },
];

export interface DemoCredentials {
  password: string;
  logins: Array<{ email: string; role: MemberRole | "platform staff"; organization: string | null }>;
  apiKey: { key: string; organization: string; role: MemberRole };
}

/** Demo tenants, people, clients and configs (the price table is ensured at every start), for `npm start` on an empty database. */
export async function seedDemo(services: Services): Promise<DemoCredentials> {
  const { organizations: orgs } = services;
  const logins: DemoCredentials["logins"] = [];
  const staff = await orgs.createUser({
    email: "staff@wedsync.demo",
    name: "Pat Staff",
    password: DEMO_PASSWORD,
    isPlatformStaff: true,
  });
  logins.push({ email: staff.email, role: "platform staff", organization: null });

  let apiKey: DemoCredentials["apiKey"] | null = null;
  for (const spec of ORGS) {
    const org = await orgs.createOrganization({
      name: spec.name,
      slug: spec.slug,
      tier: spec.tier,
      billingEmail: `billing@${spec.slug}.demo`,
      timezone: spec.timezone,
      monthlyCreditLimit: spec.credit,
    });
    let ownerId = "";
    for (const role of ["owner", "admin", "member"] as const) {
      const user = await orgs.createUser({
        email: `${role}@${spec.slug}.demo`,
        name: `${spec.name.split(" ")[0]} ${role[0]!.toUpperCase()}${role.slice(1)}`,
        password: DEMO_PASSWORD,
      });
      if (role === "owner") ownerId = user.id;
      await orgs.addMember(org.id, user.id, role);
      logins.push({ email: user.email, role, organization: spec.name });
    }
    const clients = [];
    for (const [coupleNames, weddingDate, venue] of spec.clients) {
      clients.push(
        await orgs.createClient({
          organizationId: org.id,
          coupleNames: coupleNames!,
          weddingDate,
          venue,
          status: "booked",
        }),
      );
    }
    // A couple of client overrides so the demo shows inheritance at work.
    const actor = { actorUserId: ownerId, actorApiKeyId: null };
    await services.clientConfig.updateClientConfig({
      organizationId: org.id,
      actor,
      clientId: clients[0]!.id,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { maxRequestsPerDay: 200, maxCostPerDay: "10.00" },
      featureSettings: { confidenceThreshold: 0.8 },
    });
    await services.clientConfig.updateClientConfig({
      organizationId: org.id,
      actor,
      clientId: clients[1]!.id,
      featureType: "field_extraction",
      expectedVersion: 0,
      overrides: { isEnabled: false },
    });
    if (spec.tier === "enterprise") {
      const created = await services.auth.createApiKey({
        organizationId: org.id,
        name: "Demo service key",
        role: "member",
        defaultFeature: "field_extraction",
        createdBy: ownerId,
      });
      apiKey = { key: created.secret, organization: spec.name, role: "member" };
    }
  }
  // Someone who works for two suppliers, to show switching organizations.
  const consultant = await orgs.createUser({
    email: "consultant@wedsync.demo",
    name: "Robin Consultant",
    password: DEMO_PASSWORD,
  });
  const bySlug = new Map((await orgs.listOrganizations()).map((o) => [o.slug, o.id]));
  await orgs.addMember(bySlug.get("golden-hour")!, consultant.id, "admin");
  await orgs.addMember(bySlug.get("evermore")!, consultant.id, "member");
  logins.push({
    email: consultant.email,
    role: "admin",
    organization: "Golden Hour Photography (admin), Evermore Wedding Planners (member)",
  });

  return { password: DEMO_PASSWORD, logins, apiKey: apiKey! };
}
