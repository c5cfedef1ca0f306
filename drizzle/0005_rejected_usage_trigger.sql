-- Every rejected usage row, whichever path writes it (admission's caps in wedsync_admit, or the
-- rate limit and disabled features through the tracker), gets its event number, is counted in the
-- daily rollup and is announced to every instance, in the statement that inserts it.
CREATE FUNCTION wedsync_usage_rejected() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  v_day date := NEW.quota_day;
BEGIN
  NEW.event_seq := nextval('ai_usage_event_seq');
  IF v_day IS NULL THEN
    SELECT (now() AT TIME ZONE o.timezone)::date INTO v_day FROM organizations o WHERE o.id = NEW.organization_id;
  END IF;
  INSERT INTO ai_usage_daily_rollups AS r (organization_id, client_id, feature_type, model, day, rejected,
      rejected_feature_disabled, rejected_tier, rejected_rate_limited, rejected_daily_request_cap,
      rejected_daily_cost_cap, rejected_credit_limit)
    VALUES (NEW.organization_id, NEW.client_id, NEW.feature_type, NEW.model, v_day, 1,
      (NEW.rejection_reason = 'feature_disabled')::int, (NEW.rejection_reason = 'tier')::int,
      (NEW.rejection_reason = 'rate_limited')::int, (NEW.rejection_reason = 'daily_request_cap')::int,
      (NEW.rejection_reason = 'daily_cost_cap')::int, (NEW.rejection_reason = 'credit_limit')::int)
    ON CONFLICT ON CONSTRAINT ai_usage_daily_rollups_key DO UPDATE SET
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
--> statement-breakpoint
CREATE TRIGGER ai_usage_logs_rejected BEFORE INSERT ON ai_usage_logs
  FOR EACH ROW WHEN (NEW.status = 'rejected') EXECUTE FUNCTION wedsync_usage_rejected();
