CREATE TABLE "ai_usage_client_monthly_rollups" (
	"organization_id" uuid NOT NULL,
	"month" date NOT NULL,
	"client_id" uuid,
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
	CONSTRAINT "ai_usage_client_monthly_rollups_key" UNIQUE NULLS NOT DISTINCT("organization_id","month","client_id")
);
--> statement-breakpoint
CREATE TABLE "ai_usage_latency_monthly_rollups" (
	"organization_id" uuid NOT NULL,
	"month" date NOT NULL,
	"feature_type" "ai_feature_type" NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ai_usage_latency_monthly_rollups_organization_id_month_feature_type_bucket_pk" PRIMARY KEY("organization_id","month","feature_type","bucket")
);
--> statement-breakpoint
CREATE TABLE "ai_usage_org_daily_rollups" (
	"organization_id" uuid NOT NULL,
	"day" date NOT NULL,
	"feature_type" "ai_feature_type" NOT NULL,
	"model" text,
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
	CONSTRAINT "ai_usage_org_daily_rollups_key" UNIQUE NULLS NOT DISTINCT("organization_id","day","feature_type","model")
);
--> statement-breakpoint
ALTER TABLE "ai_usage_client_monthly_rollups" ADD CONSTRAINT "ai_usage_client_monthly_rollups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage_latency_monthly_rollups" ADD CONSTRAINT "ai_usage_latency_monthly_rollups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_usage_org_daily_rollups" ADD CONSTRAINT "ai_usage_org_daily_rollups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Backfill the coarser rollups from the daily one (which holds every completion and rejection so far).
INSERT INTO ai_usage_org_daily_rollups (organization_id, day, feature_type, model, requests, succeeded, failed,
    degraded, rejected, rejected_feature_disabled, rejected_tier, rejected_rate_limited, rejected_daily_request_cap,
    rejected_daily_cost_cap, rejected_credit_limit, input_tokens, output_tokens, cached_input_tokens, cost_micros,
    processing_ms_total)
  SELECT organization_id, day, feature_type, model, sum(requests), sum(succeeded), sum(failed), sum(degraded),
      sum(rejected), sum(rejected_feature_disabled), sum(rejected_tier), sum(rejected_rate_limited),
      sum(rejected_daily_request_cap), sum(rejected_daily_cost_cap), sum(rejected_credit_limit), sum(input_tokens),
      sum(output_tokens), sum(cached_input_tokens), sum(cost_micros), sum(processing_ms_total)
    FROM ai_usage_daily_rollups GROUP BY organization_id, day, feature_type, model;
--> statement-breakpoint
INSERT INTO ai_usage_client_monthly_rollups (organization_id, month, client_id, requests, succeeded, failed,
    degraded, rejected, rejected_feature_disabled, rejected_tier, rejected_rate_limited, rejected_daily_request_cap,
    rejected_daily_cost_cap, rejected_credit_limit, input_tokens, output_tokens, cached_input_tokens, cost_micros,
    processing_ms_total)
  SELECT organization_id, date_trunc('month', day)::date, client_id, sum(requests), sum(succeeded), sum(failed),
      sum(degraded), sum(rejected), sum(rejected_feature_disabled), sum(rejected_tier), sum(rejected_rate_limited),
      sum(rejected_daily_request_cap), sum(rejected_daily_cost_cap), sum(rejected_credit_limit), sum(input_tokens),
      sum(output_tokens), sum(cached_input_tokens), sum(cost_micros), sum(processing_ms_total)
    FROM ai_usage_daily_rollups GROUP BY organization_id, date_trunc('month', day)::date, client_id;
--> statement-breakpoint
INSERT INTO ai_usage_latency_monthly_rollups (organization_id, month, feature_type, bucket, count)
  SELECT organization_id, date_trunc('month', day)::date, feature_type, bucket, sum(count)
    FROM ai_usage_latency_rollups GROUP BY organization_id, date_trunc('month', day)::date, feature_type, bucket;
--> statement-breakpoint
-- Rejections count in every grain: the daily rollup (as in 0005), the organization's day and the client's month.
CREATE OR REPLACE FUNCTION wedsync_usage_rejected() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_day date := NEW.quota_day;
  v_fd int := (NEW.rejection_reason = 'feature_disabled')::int;
  v_tier int := (NEW.rejection_reason = 'tier')::int;
  v_rl int := (NEW.rejection_reason = 'rate_limited')::int;
  v_drc int := (NEW.rejection_reason = 'daily_request_cap')::int;
  v_dcc int := (NEW.rejection_reason = 'daily_cost_cap')::int;
  v_cl int := (NEW.rejection_reason = 'credit_limit')::int;
BEGIN
  NEW.event_seq := nextval('ai_usage_event_seq');
  IF v_day IS NULL THEN
    SELECT (now() AT TIME ZONE o.timezone)::date INTO v_day FROM organizations o WHERE o.id = NEW.organization_id;
  END IF;
  INSERT INTO ai_usage_daily_rollups AS r (organization_id, client_id, feature_type, model, day, rejected,
      rejected_feature_disabled, rejected_tier, rejected_rate_limited, rejected_daily_request_cap,
      rejected_daily_cost_cap, rejected_credit_limit)
    VALUES (NEW.organization_id, NEW.client_id, NEW.feature_type, NEW.model, v_day, 1, v_fd, v_tier, v_rl, v_drc,
      v_dcc, v_cl)
    ON CONFLICT ON CONSTRAINT ai_usage_daily_rollups_key DO UPDATE SET
      rejected = r.rejected + 1,
      rejected_feature_disabled = r.rejected_feature_disabled + EXCLUDED.rejected_feature_disabled,
      rejected_tier = r.rejected_tier + EXCLUDED.rejected_tier,
      rejected_rate_limited = r.rejected_rate_limited + EXCLUDED.rejected_rate_limited,
      rejected_daily_request_cap = r.rejected_daily_request_cap + EXCLUDED.rejected_daily_request_cap,
      rejected_daily_cost_cap = r.rejected_daily_cost_cap + EXCLUDED.rejected_daily_cost_cap,
      rejected_credit_limit = r.rejected_credit_limit + EXCLUDED.rejected_credit_limit;
  INSERT INTO ai_usage_org_daily_rollups AS r (organization_id, day, feature_type, model, rejected,
      rejected_feature_disabled, rejected_tier, rejected_rate_limited, rejected_daily_request_cap,
      rejected_daily_cost_cap, rejected_credit_limit)
    VALUES (NEW.organization_id, v_day, NEW.feature_type, NEW.model, 1, v_fd, v_tier, v_rl, v_drc, v_dcc, v_cl)
    ON CONFLICT ON CONSTRAINT ai_usage_org_daily_rollups_key DO UPDATE SET
      rejected = r.rejected + 1,
      rejected_feature_disabled = r.rejected_feature_disabled + EXCLUDED.rejected_feature_disabled,
      rejected_tier = r.rejected_tier + EXCLUDED.rejected_tier,
      rejected_rate_limited = r.rejected_rate_limited + EXCLUDED.rejected_rate_limited,
      rejected_daily_request_cap = r.rejected_daily_request_cap + EXCLUDED.rejected_daily_request_cap,
      rejected_daily_cost_cap = r.rejected_daily_cost_cap + EXCLUDED.rejected_daily_cost_cap,
      rejected_credit_limit = r.rejected_credit_limit + EXCLUDED.rejected_credit_limit;
  INSERT INTO ai_usage_client_monthly_rollups AS r (organization_id, month, client_id, rejected,
      rejected_feature_disabled, rejected_tier, rejected_rate_limited, rejected_daily_request_cap,
      rejected_daily_cost_cap, rejected_credit_limit)
    VALUES (NEW.organization_id, date_trunc('month', v_day)::date, NEW.client_id, 1, v_fd, v_tier, v_rl, v_drc,
      v_dcc, v_cl)
    ON CONFLICT ON CONSTRAINT ai_usage_client_monthly_rollups_key DO UPDATE SET
      rejected = r.rejected + 1,
      rejected_feature_disabled = r.rejected_feature_disabled + EXCLUDED.rejected_feature_disabled,
      rejected_tier = r.rejected_tier + EXCLUDED.rejected_tier,
      rejected_rate_limited = r.rejected_rate_limited + EXCLUDED.rejected_rate_limited,
      rejected_daily_request_cap = r.rejected_daily_request_cap + EXCLUDED.rejected_daily_request_cap,
      rejected_daily_cost_cap = r.rejected_daily_cost_cap + EXCLUDED.rejected_daily_cost_cap,
      rejected_credit_limit = r.rejected_credit_limit + EXCLUDED.rejected_credit_limit;
  PERFORM pg_notify('wedsync_events', json_build_object('events', json_build_array(json_build_object(
    'kind', 'usage', 'organizationId', NEW.organization_id, 'seq', NEW.event_seq,
    'requestId', NEW.request_id, 'featureType', NEW.feature_type, 'clientId', NEW.client_id,
    'status', NEW.status, 'costUsd', NULL, 'inputTokens', 0, 'outputTokens', 0, 'cachedInputTokens', 0,
    'rejectionReason', NEW.rejection_reason)))::text);
  RETURN NEW;
END $$;
