CREATE TABLE "ai_daily_counters" (
	"organization_id" uuid NOT NULL,
	"feature_type" "ai_feature_type" NOT NULL,
	"scope" text NOT NULL,
	"day" date NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"reserved_micros" bigint DEFAULT 0 NOT NULL,
	"spent_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ai_daily_counters_organization_id_feature_type_scope_day_pk" PRIMARY KEY("organization_id","feature_type","scope","day")
);
--> statement-breakpoint
CREATE TABLE "ai_monthly_spend" (
	"organization_id" uuid NOT NULL,
	"month" text NOT NULL,
	"reserved_micros" bigint DEFAULT 0 NOT NULL,
	"spent_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ai_monthly_spend_organization_id_month_pk" PRIMARY KEY("organization_id","month")
);
--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD COLUMN "request_hash" text;--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD COLUMN "reserved_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD COLUMN "quota_day" date;--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD COLUMN "result" jsonb;--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD COLUMN "degraded" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_daily_counters" ADD CONSTRAINT "ai_daily_counters_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_monthly_spend" ADD CONSTRAINT "ai_monthly_spend_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;