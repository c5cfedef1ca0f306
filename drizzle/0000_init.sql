CREATE TYPE "public"."ai_audit_action" AS ENUM('create', 'update', 'toggle', 'rollback', 'cascade_clamp');--> statement-breakpoint
CREATE TYPE "public"."ai_audit_entity_kind" AS ENUM('platform_config', 'client_config');--> statement-breakpoint
CREATE TYPE "public"."client_status" AS ENUM('inquiry', 'booked', 'completed', 'archived');--> statement-breakpoint
CREATE TYPE "public"."ai_feature_type" AS ENUM('pdf_analysis', 'field_extraction', 'smart_mapping');--> statement-breakpoint
CREATE TYPE "public"."member_role" AS ENUM('owner', 'admin', 'member');--> statement-breakpoint
CREATE TYPE "public"."subscription_tier" AS ENUM('free', 'professional', 'enterprise');--> statement-breakpoint
CREATE TYPE "public"."ai_usage_status" AS ENUM('pending', 'succeeded', 'failed', 'rejected');--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"slug" text NOT NULL,
	"subscription_tier" "subscription_tier" DEFAULT 'free' NOT NULL,
	"monthly_credit_limit" numeric(12, 2) DEFAULT '100.00' NOT NULL,
	"billing_email" text NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organizations_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"role" "member_role" NOT NULL,
	"default_feature" "ai_feature_type",
	"created_by" uuid,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"role" "member_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "memberships_user_org_unique" UNIQUE("user_id","organization_id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"organization_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text NOT NULL,
	"is_platform_staff" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"couple_names" text NOT NULL,
	"wedding_date" date,
	"venue" text,
	"status" "client_status" DEFAULT 'inquiry' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_client_configs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"platform_config_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"feature_settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"custom_prompts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"processing_preferences" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_enabled_override" boolean,
	"max_requests_per_day_override" integer,
	"max_cost_per_day_override" numeric(10, 2),
	"rate_limit_per_minute_override" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ai_client_configs_platform_client_unique" UNIQUE("platform_config_id","client_id"),
	CONSTRAINT "ai_client_configs_overrides_non_negative" CHECK (coalesce("ai_client_configs"."max_requests_per_day_override", 0) >= 0 AND coalesce("ai_client_configs"."max_cost_per_day_override", 0) >= 0 AND coalesce("ai_client_configs"."rate_limit_per_minute_override", 0) >= 0)
);
--> statement-breakpoint
CREATE TABLE "ai_config_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entity_kind" "ai_audit_entity_kind" NOT NULL,
	"entity_id" uuid NOT NULL,
	"organization_id" uuid NOT NULL,
	"actor_user_id" uuid,
	"actor_api_key_id" uuid,
	"action" "ai_audit_action" NOT NULL,
	"before" jsonb,
	"after" jsonb NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_platform_configs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"feature_type" "ai_feature_type" NOT NULL,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"max_requests_per_day" integer DEFAULT 1000 NOT NULL,
	"max_cost_per_day" numeric(10, 2) DEFAULT '50.00' NOT NULL,
	"priority_level" integer DEFAULT 1 NOT NULL,
	"rate_limit_per_minute" integer DEFAULT 60 NOT NULL,
	"model" text DEFAULT 'gpt-4o-mini' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ai_platform_configs_org_feature_unique" UNIQUE("organization_id","feature_type"),
	CONSTRAINT "ai_platform_configs_limits_non_negative" CHECK ("ai_platform_configs"."max_requests_per_day" >= 0 AND "ai_platform_configs"."max_cost_per_day" >= 0 AND "ai_platform_configs"."rate_limit_per_minute" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ai_model_prices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"input_per_million" numeric(12, 6) NOT NULL,
	"output_per_million" numeric(12, 6) NOT NULL,
	"cached_input_per_million" numeric(12, 6) NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	CONSTRAINT "ai_model_prices_provider_model_from_unique" UNIQUE("provider","model","effective_from")
);
--> statement-breakpoint
CREATE TABLE "ai_usage_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"client_id" uuid,
	"feature_type" "ai_feature_type" NOT NULL,
	"request_size" integer,
	"response_size" integer,
	"processing_time_ms" integer,
	"cost_usd" numeric(12, 6),
	"success" boolean DEFAULT false NOT NULL,
	"error_message" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"model" text,
	"provider" text,
	"input_tokens" integer DEFAULT 0 NOT NULL,
	"output_tokens" integer DEFAULT 0 NOT NULL,
	"cached_input_tokens" integer DEFAULT 0 NOT NULL,
	"status" "ai_usage_status" DEFAULT 'pending' NOT NULL,
	"rejection_reason" text,
	"idempotency_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "ai_usage_logs_request_id_unique" UNIQUE("request_id"),
	CONSTRAINT "ai_usage_logs_org_idempotency_unique" UNIQUE("organization_id","idempotency_key")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_client_configs" ADD CONSTRAINT "ai_client_configs_platform_config_id_ai_platform_configs_id_fk" FOREIGN KEY ("platform_config_id") REFERENCES "public"."ai_platform_configs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_client_configs" ADD CONSTRAINT "ai_client_configs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_config_audit" ADD CONSTRAINT "ai_config_audit_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_config_audit" ADD CONSTRAINT "ai_config_audit_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_config_audit" ADD CONSTRAINT "ai_config_audit_actor_api_key_id_api_keys_id_fk" FOREIGN KEY ("actor_api_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_platform_configs" ADD CONSTRAINT "ai_platform_configs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD CONSTRAINT "ai_usage_logs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD CONSTRAINT "ai_usage_logs_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_organization_idx" ON "api_keys" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "api_keys_created_by_idx" ON "api_keys" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "memberships_organization_idx" ON "memberships" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_organization_idx" ON "sessions" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "clients_organization_idx" ON "clients" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "ai_client_configs_client_idx" ON "ai_client_configs" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "ai_config_audit_org_created_idx" ON "ai_config_audit" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "ai_config_audit_entity_idx" ON "ai_config_audit" USING btree ("entity_id");--> statement-breakpoint
CREATE INDEX "ai_config_audit_actor_user_idx" ON "ai_config_audit" USING btree ("actor_user_id");--> statement-breakpoint
CREATE INDEX "ai_config_audit_actor_api_key_idx" ON "ai_config_audit" USING btree ("actor_api_key_id");--> statement-breakpoint
CREATE INDEX "ai_usage_logs_org_created_idx" ON "ai_usage_logs" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "ai_usage_logs_client_idx" ON "ai_usage_logs" USING btree ("client_id");