// The codes the product speaks (features, tiers, roles, statuses), free of any database library so
// the browser apps can import them; schema/enums.ts turns them into PostgreSQL enums.
export const FEATURE_TYPES = ["pdf_analysis", "field_extraction", "smart_mapping"] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

export const SUBSCRIPTION_TIERS = ["free", "professional", "enterprise"] as const;
export type SubscriptionTier = (typeof SUBSCRIPTION_TIERS)[number];

export const MEMBER_ROLES = ["owner", "admin", "member"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const CLIENT_STATUSES = ["inquiry", "booked", "completed", "archived"] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export const USAGE_STATUSES = ["pending", "succeeded", "failed", "rejected"] as const;
export type UsageStatus = (typeof USAGE_STATUSES)[number];

/** throttle: an emergency throttle set or lifted by platform staff (one entry per organization it reaches). */
export const AUDIT_ENTITY_KINDS = ["platform_config", "client_config", "throttle"] as const;
export type AuditEntityKind = (typeof AUDIT_ENTITY_KINDS)[number];

export const AUDIT_ACTIONS = ["create", "update", "toggle", "rollback", "cascade_clamp"] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
