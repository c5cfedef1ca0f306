ALTER TABLE "ai_usage_org_daily_rollups" DROP CONSTRAINT "ai_usage_org_daily_rollups_key";--> statement-breakpoint
ALTER TABLE "ai_usage_org_daily_rollups" ADD COLUMN "provider" text;--> statement-breakpoint
ALTER TABLE "ai_usage_org_daily_rollups" ADD COLUMN "price_segment_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ai_usage_org_daily_rollups" ADD CONSTRAINT "ai_usage_org_daily_rollups_key" UNIQUE NULLS NOT DISTINCT("organization_id","day","feature_type","provider","model","price_segment_from");
--> statement-breakpoint
-- The organization-level daily rollup rebuilt from the log for the days from p_from on, now per
-- provider and price segment too (the daily rollups it was summed from have neither): an
-- invoice's lines are per provider, model and price in force, and within a segment (from one
-- instant at which any price takes effect to the next) every request of a model was charged one
-- price. A row's segment began at the latest such instant not after its created_at. The log holds
-- every completion and rejection; a rejection without a quota day counted on the day it was
-- inserted, in the organization's timezone (its created_at there: both are the inserting
-- transaction's now()). The table is locked against writes first, so a completion committing
-- meanwhile is either in the log this reads or adds itself to the rebuilt rows afterwards.
-- Operators run it after a rollout from a release before this migration: old instances still
-- running then wrote their completions without provider or segment (docs/operations.md).
CREATE OR REPLACE FUNCTION wedsync_rebuild_org_daily_rollups(p_from date) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_rows bigint;
BEGIN
  LOCK TABLE ai_usage_org_daily_rollups IN EXCLUSIVE MODE;
  DELETE FROM ai_usage_org_daily_rollups WHERE day >= p_from;
  WITH i AS (SELECT array_agg(DISTINCT effective_from ORDER BY effective_from) AS instants FROM ai_model_prices)
  INSERT INTO ai_usage_org_daily_rollups (organization_id, day, feature_type, provider, model, price_segment_from,
      requests, succeeded,
      failed, degraded, rejected, rejected_feature_disabled, rejected_tier, rejected_rate_limited,
      rejected_daily_request_cap, rejected_daily_cost_cap, rejected_credit_limit, input_tokens, output_tokens,
      cached_input_tokens, cost_micros, processing_ms_total)
    SELECT l.organization_id, coalesce(l.quota_day, (l.created_at AT TIME ZONE o.timezone)::date), l.feature_type,
        l.provider, l.model, i.instants[width_bucket(l.created_at, i.instants)],
        count(*) FILTER (WHERE l.status IN ('succeeded', 'failed')),
        count(*) FILTER (WHERE l.status = 'succeeded'),
        count(*) FILTER (WHERE l.status = 'failed'),
        count(*) FILTER (WHERE l.status IN ('succeeded', 'failed') AND l.degraded),
        count(*) FILTER (WHERE l.status = 'rejected'),
        count(*) FILTER (WHERE l.status = 'rejected' AND l.rejection_reason = 'feature_disabled'),
        count(*) FILTER (WHERE l.status = 'rejected' AND l.rejection_reason = 'tier'),
        count(*) FILTER (WHERE l.status = 'rejected' AND l.rejection_reason = 'rate_limited'),
        count(*) FILTER (WHERE l.status = 'rejected' AND l.rejection_reason = 'daily_request_cap'),
        count(*) FILTER (WHERE l.status = 'rejected' AND l.rejection_reason = 'daily_cost_cap'),
        count(*) FILTER (WHERE l.status = 'rejected' AND l.rejection_reason = 'credit_limit'),
        coalesce(sum(l.input_tokens) FILTER (WHERE l.status IN ('succeeded', 'failed')), 0),
        coalesce(sum(l.output_tokens) FILTER (WHERE l.status IN ('succeeded', 'failed')), 0),
        coalesce(sum(l.cached_input_tokens) FILTER (WHERE l.status IN ('succeeded', 'failed')), 0),
        coalesce(sum((l.cost_usd * 1000000)::bigint) FILTER (WHERE l.status IN ('succeeded', 'failed')), 0),
        coalesce(sum(l.processing_time_ms) FILTER (WHERE l.status IN ('succeeded', 'failed')), 0)
      FROM ai_usage_logs l JOIN organizations o ON o.id = l.organization_id CROSS JOIN i
      WHERE l.status <> 'pending'
        AND coalesce(l.quota_day, (l.created_at AT TIME ZONE o.timezone)::date) >= p_from
      GROUP BY 1, 2, 3, 4, 5, 6;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  RETURN v_rows;
END $$;
--> statement-breakpoint
SELECT wedsync_rebuild_org_daily_rollups('-infinity');
--> statement-breakpoint
-- Rejections count in the organization's day under their provider and price segment too, and
-- carry their quota day.
CREATE OR REPLACE FUNCTION wedsync_usage_rejected() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_day date := NEW.quota_day;
  v_fd int := (NEW.rejection_reason = 'feature_disabled')::int;
  v_tier int := (NEW.rejection_reason = 'tier')::int;
  v_rl int := (NEW.rejection_reason = 'rate_limited')::int;
  v_drc int := (NEW.rejection_reason = 'daily_request_cap')::int;
  v_dcc int := (NEW.rejection_reason = 'daily_cost_cap')::int;
  v_cl int := (NEW.rejection_reason = 'credit_limit')::int;
  v_segment timestamptz := (SELECT max(p.effective_from) FROM ai_model_prices p WHERE p.effective_from <= NEW.created_at);
BEGIN
  NEW.event_seq := nextval('ai_usage_event_seq');
  IF v_day IS NULL THEN
    SELECT (now() AT TIME ZONE o.timezone)::date INTO v_day FROM organizations o WHERE o.id = NEW.organization_id;
    -- The row says which day it counted on, as every other row does.
    NEW.quota_day := v_day;
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
  INSERT INTO ai_usage_org_daily_rollups AS r (organization_id, day, feature_type, provider, model,
      price_segment_from, rejected, rejected_feature_disabled, rejected_tier, rejected_rate_limited,
      rejected_daily_request_cap, rejected_daily_cost_cap, rejected_credit_limit)
    VALUES (NEW.organization_id, v_day, NEW.feature_type, NEW.provider, NEW.model, v_segment, 1, v_fd, v_tier,
      v_rl, v_drc, v_dcc, v_cl)
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
