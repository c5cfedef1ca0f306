import { pgEnum } from "drizzle-orm/pg-core";
import {
  AUDIT_ACTIONS,
  AUDIT_ENTITY_KINDS,
  CLIENT_STATUSES,
  FEATURE_TYPES,
  MEMBER_ROLES,
  SUBSCRIPTION_TIERS,
  USAGE_STATUSES,
} from "../domain/codes";

export * from "../domain/codes";

export const featureTypeEnum = pgEnum("ai_feature_type", FEATURE_TYPES);
export const subscriptionTierEnum = pgEnum("subscription_tier", SUBSCRIPTION_TIERS);
export const memberRoleEnum = pgEnum("member_role", MEMBER_ROLES);
export const clientStatusEnum = pgEnum("client_status", CLIENT_STATUSES);
export const usageStatusEnum = pgEnum("ai_usage_status", USAGE_STATUSES);
export const auditEntityKindEnum = pgEnum("ai_audit_entity_kind", AUDIT_ENTITY_KINDS);
export const auditActionEnum = pgEnum("ai_audit_action", AUDIT_ACTIONS);
