CREATE TYPE "public"."ai_alert_kind" AS ENUM('daily_cost', 'monthly_cost', 'error_rate', 'p95_latency');--> statement-breakpoint
CREATE TABLE "ai_alert_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"kind" "ai_alert_kind" NOT NULL,
	"thresholds" integer[] NOT NULL,
	"webhook_url" text,
	"webhook_secret" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ai_alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"rule_id" uuid,
	"kind" "ai_alert_kind" NOT NULL,
	"threshold" integer NOT NULL,
	"period" text NOT NULL,
	"value" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivery_attempts" smallint DEFAULT 0 NOT NULL,
	"delivered_at" timestamp with time zone,
	"delivery_error" text,
	CONSTRAINT "ai_alerts_crossing_unique" UNIQUE("organization_id","kind","threshold","period")
);
--> statement-breakpoint
CREATE TABLE "ai_api_metrics" (
	"organization_id" uuid,
	"endpoint" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"server_errors" integer DEFAULT 0 NOT NULL,
	"duration_ms_total" bigint DEFAULT 0 NOT NULL,
	"db_ms_total" bigint DEFAULT 0 NOT NULL,
	"buckets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "ai_api_metrics_key" UNIQUE NULLS NOT DISTINCT("organization_id","endpoint","hour")
);
--> statement-breakpoint
CREATE TABLE "ai_invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"number" text NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"subtotal_micros" bigint NOT NULL,
	"total_cents" bigint NOT NULL,
	"document" jsonb NOT NULL,
	"issued_by" uuid,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ai_invoices_org_sequence_unique" UNIQUE("organization_id","sequence"),
	CONSTRAINT "ai_invoices_number_unique" UNIQUE("number"),
	CONSTRAINT "ai_invoices_org_period_unique" UNIQUE("organization_id","period_start","period_end")
);
--> statement-breakpoint
CREATE TABLE "ai_usage_daily_rollups" (
	"organization_id" uuid NOT NULL,
	"client_id" uuid,
	"feature_type" "ai_feature_type" NOT NULL,
	"model" text,
	"day" date NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"succeeded" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"degraded" integer DEFAULT 0 NOT NULL,
	"rejected" integer DEFAULT 0 NOT NULL,
	"rejected_feature_disabled" integer DEFAULT 0 NOT NULL,
	"rejected_tier" integer DEFAULT 0 NOT NULL,
	"rejected_rate_limited" integer DEFAULT 0 NOT NULL,
	"rejected_daily_request_cap" integer DEFAULT 0 NOT NULL,
	"rejected_daily_cost_cap" integer DEFAULT 0 NOT NULL,
	"rejected_credit_limit" integer DEFAULT 0 NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"cached_input_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"processing_ms_total" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "ai_usage_daily_rollups_key" UNIQUE NULLS NOT DISTINCT("organization_id","client_id","feature_type","model","day")
);
--> statement-breakpoint
CREATE TABLE "ai_usage_latency_rollups" (
	"organization_id" uuid NOT NULL,
	"feature_type" "ai_feature_type" NOT NULL,
	"day" date NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ai_usage_latency_rollups_organization_id_feature_type_day_bucket_pk" PRIMARY KEY("organization_id","feature_type","day","bucket")
);
--> statement-breakpoint
ALTER TABLE "ai_alert_rules" ADD CONSTRAINT "ai_alert_rules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_alerts" ADD CONSTRAINT "ai_alerts_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_alerts" ADD CONSTRAINT "ai_alerts_rule_id_ai_alert_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."ai_alert_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_api_metrics" ADD CONSTRAINT "ai_api_metrics_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_invoices" ADD CONSTRAINT "ai_invoices_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_invoices" ADD CONSTRAINT "ai_invoices_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage_daily_rollups" ADD CONSTRAINT "ai_usage_daily_rollups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage_latency_rollups" ADD CONSTRAINT "ai_usage_latency_rollups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_alerts_org_id_idx" ON "ai_alerts" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "ai_api_metrics_hour_idx" ON "ai_api_metrics" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "ai_usage_daily_rollups_org_day_idx" ON "ai_usage_daily_rollups" USING btree ("organization_id","day");--> statement-breakpoint
-- An issued invoice is a financial record: never updated, never deleted (correct with a new one).
CREATE FUNCTION wedsync_invoice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'invoice % is issued and cannot be changed', OLD.number
    USING ERRCODE = 'integrity_constraint_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER ai_invoices_immutable BEFORE UPDATE OR DELETE ON ai_invoices
  FOR EACH ROW EXECUTE FUNCTION wedsync_invoice_immutable();
