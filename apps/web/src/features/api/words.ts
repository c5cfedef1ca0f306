import type { RouterOutputs } from "@wedsync/ui/trpc";

export type ReferenceDocument = RouterOutputs["reference"]["procedures"];
export type ReferenceProcedure = ReferenceDocument["procedures"][number];
export type ProcedureAccess = ReferenceProcedure["access"];

/** Who may call a procedure, in words (the reference's `access`, derived from the builder). */
export const ACCESS_WORDS: Record<ProcedureAccess, { short: string; long: string }> = {
  public: { short: "Anyone", long: "Anyone, signed in or not." },
  authenticated: { short: "Signed in or key", long: "Anyone signed in, or any API key." },
  user: { short: "People only", long: "A signed-in person; API keys are refused." },
  staff: { short: "Staff only", long: "Platform staff only." },
  member: {
    short: "Members",
    long: "Any member of the organization, or any of its API keys.",
  },
  orgAdmin: {
    short: "Owners & admins",
    long: "Owners and admins of the organization, or its admin API keys.",
  },
  bulkOrgAdmin: {
    short: "Owners & admins",
    long: "Owners and admins of the organization, or its admin API keys; platform staff may name several organizations at once.",
  },
};

export const TYPE_WORDS: Record<ReferenceProcedure["type"], string> = {
  query: "Query (reads)",
  mutation: "Mutation (changes)",
  subscription: "Subscription (live stream)",
};

export const LEVEL_WORDS: Record<ReferenceProcedure["level"], { short: string; long: string }> = {
  platform: {
    short: "Platform-level",
    long: "Acts on the whole organization (its AI settings, usage, billing, keys) or on the platform.",
  },
  client: {
    short: "Client-level",
    long: "Acts on one client (wedding): its settings and its AI requests.",
  },
};

const GROUP_WORDS: Record<string, string> = {
  auth: "Sign-in and sessions",
  apiKeys: "API keys",
  platform: "Organization AI settings and usage",
  clients: "Clients (weddings)",
  usage: "Live usage and rate limits",
  billing: "Billing and invoices",
  admin: "Platform administration",
  performance: "Performance",
  alerts: "Alerts",
  reference: "API reference",
};

/** A router's name in words; a router added later shows its own name until it gets words here. */
export const groupWords = (group: string) => GROUP_WORDS[group] ?? group;

export const KEY_ROLE_WORDS: Record<"admin" | "member", string> = {
  member: "Member",
  admin: "Admin",
};
