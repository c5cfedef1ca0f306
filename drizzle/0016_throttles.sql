CREATE TYPE "public"."ai_throttle_mode" AS ENUM('refuse', 'cap');--> statement-breakpoint
CREATE TYPE "public"."ai_throttle_scope" AS ENUM('organization', 'feature', 'platform');--> statement-breakpoint
ALTER TYPE "public"."ai_audit_entity_kind" ADD VALUE 'throttle';--> statement-breakpoint
CREATE TABLE "ai_throttles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scope" "ai_throttle_scope" NOT NULL,
	"organization_id" uuid,
	"feature_type" "ai_feature_type",
	"mode" "ai_throttle_mode" NOT NULL,
	"per_minute" integer,
	"reason" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by" uuid,
	CONSTRAINT "ai_throttles_scope_fields" CHECK (("ai_throttles"."scope" = 'organization') = ("ai_throttles"."organization_id" is not null) AND ("ai_throttles"."scope" = 'feature') = ("ai_throttles"."feature_type" is not null)),
	CONSTRAINT "ai_throttles_mode_fields" CHECK (("ai_throttles"."mode" = 'cap') = ("ai_throttles"."per_minute" is not null) AND coalesce("ai_throttles"."per_minute", 1) > 0)
);
--> statement-breakpoint
ALTER TABLE "ai_throttles" ADD CONSTRAINT "ai_throttles_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_throttles" ADD CONSTRAINT "ai_throttles_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_throttles" ADD CONSTRAINT "ai_throttles_lifted_by_users_id_fk" FOREIGN KEY ("lifted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_throttles_not_lifted_idx" ON "ai_throttles" USING btree ("created_at") WHERE "ai_throttles"."lifted_at" is null;--> statement-breakpoint
CREATE INDEX "ai_throttles_created_idx" ON "ai_throttles" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "ai_throttles_organization_idx" ON "ai_throttles" USING btree ("organization_id");