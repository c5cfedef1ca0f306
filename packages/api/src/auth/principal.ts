import type { FeatureType, MemberRole } from "@wedsync/core";

export interface UserPrincipal {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  isPlatformStaff: boolean;
  sessionId: string;
  /** The organization chosen at login or last switched to. */
  sessionOrganizationId: string | null;
  memberships: Array<{ organizationId: string; role: MemberRole }>;
}

export interface ApiKeyPrincipal {
  kind: "apiKey";
  apiKeyId: string;
  organizationId: string;
  role: MemberRole;
  defaultFeature: FeatureType | null;
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** The organization a request acts in, and with what role. Staff act as admins everywhere. */
export interface OrgScope {
  organizationId: string;
  role: MemberRole;
  viaStaff: boolean;
}

export const ROLE_RANK: Record<MemberRole, number> = { member: 0, admin: 1, owner: 2 };

/** Who did it, for the audit trail. */
export function actorOf(p: Principal): { actorUserId: string | null; actorApiKeyId: string | null } {
  return p.kind === "user"
    ? { actorUserId: p.userId, actorApiKeyId: null }
    : { actorUserId: null, actorApiKeyId: p.apiKeyId };
}
