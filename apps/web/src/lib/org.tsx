import type { MemberRole } from "@wedsync/core/domain";
import type { PlatformConfig } from "@wedsync/ui/trpc";
import { createContext, useContext } from "react";

export interface Org {
  id: string;
  name: string;
  tier: PlatformConfig["organization"]["tier"];
  timezone: string;
  /** The signed-in person's role here; platform staff act as admin. */
  role: MemberRole;
  /** Owners and admins change platform configuration, billing, alerts and API keys. */
  canAdmin: boolean;
  isStaff: boolean;
}

export const OrgContext = createContext<Org | null>(null);

/** The organization in the URL, with the signed-in person's role in it. Inside /o/$orgId only. */
export function useOrg(): Org {
  const org = useContext(OrgContext);
  if (!org) throw new Error("useOrg outside /o/$orgId");
  return org;
}

export const ROLE_WORDS: Record<MemberRole, string> = { owner: "Owner", admin: "Admin", member: "Member" };
