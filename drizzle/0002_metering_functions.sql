-- Admission in one round trip: idempotency, the daily request and cost caps (organization-wide
-- and per client), the monthly credit limit, and the usage row (pending, or rejected with its
-- reason). Counters are changed by conditional upserts, so concurrent requests on any number of
-- instances can never push a counter past its cap; a rejection rolls back every reservation made
-- so far (the inner block is a savepoint).
CREATE OR REPLACE FUNCTION wedsync_admit(
  p_request_id uuid,
  p_org uuid,
  p_client uuid,
  p_feature ai_feature_type,
  p_day date,
  p_month text,
  p_org_max_requests integer,
  p_org_max_micros bigint,
  p_client_max_requests integer,
  p_client_max_micros bigint,
  p_credit_limit_micros bigint,
  p_estimate_micros bigint,
  p_idempotency_key text,
  p_request_hash text,
  p_request_size integer,
  p_model text,
  p_provider text,
  p_metadata jsonb
) RETURNS TABLE (
  outcome text,
  reason text,
  request_id uuid,
  org_requests integer,
  org_used_micros bigint,
  client_requests integer,
  client_used_micros bigint
) LANGUAGE plpgsql AS $$
DECLARE
  v_existing record;
  v_org ai_daily_counters%ROWTYPE;
  v_client ai_daily_counters%ROWTYPE;
  v_reason text;
BEGIN
  -- The pending row must be durable before the response, not before the provider call: the
  -- completion commits synchronously later, and its WAL flush covers this earlier commit record
  -- too. Committing this one asynchronously saves a disk flush per request. If the server dies in
  -- between, the admission and its reservation vanish together and no answer was ever sent.
  PERFORM set_config('synchronous_commit', 'off', true);

  IF p_idempotency_key IS NOT NULL THEN
    SELECT l.request_id, l.request_hash INTO v_existing
      FROM ai_usage_logs l
      WHERE l.organization_id = p_org AND l.idempotency_key = p_idempotency_key;
    IF FOUND THEN
      RETURN QUERY SELECT
        CASE WHEN v_existing.request_hash IS DISTINCT FROM p_request_hash THEN 'conflict' ELSE 'duplicate' END,
        NULL::text, v_existing.request_id, NULL::integer, NULL::bigint, NULL::integer, NULL::bigint;
      RETURN;
    END IF;
  END IF;

  BEGIN
    IF p_org_max_requests < 1 THEN
      v_reason := 'daily_request_cap';
      RAISE EXCEPTION USING ERRCODE = 'WS001';
    END IF;
    IF p_estimate_micros > p_org_max_micros THEN
      v_reason := 'daily_cost_cap';
      RAISE EXCEPTION USING ERRCODE = 'WS001';
    END IF;
    INSERT INTO ai_daily_counters AS c (organization_id, feature_type, scope, day, requests, reserved_micros)
      VALUES (p_org, p_feature, 'org', p_day, 1, p_estimate_micros)
      ON CONFLICT (organization_id, feature_type, scope, day) DO UPDATE
        SET requests = c.requests + 1, reserved_micros = c.reserved_micros + EXCLUDED.reserved_micros
        WHERE c.requests + 1 <= p_org_max_requests
          AND c.spent_micros + c.reserved_micros + EXCLUDED.reserved_micros <= p_org_max_micros
      RETURNING c.* INTO v_org;
    IF NOT FOUND THEN
      SELECT * INTO v_org FROM ai_daily_counters c
        WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = 'org' AND c.day = p_day;
      v_reason := CASE WHEN v_org.requests + 1 > p_org_max_requests THEN 'daily_request_cap' ELSE 'daily_cost_cap' END;
      RAISE EXCEPTION USING ERRCODE = 'WS001';
    END IF;

    IF p_client IS NOT NULL THEN
      IF p_client_max_requests < 1 THEN
        v_reason := 'daily_request_cap';
        RAISE EXCEPTION USING ERRCODE = 'WS001';
      END IF;
      IF p_estimate_micros > p_client_max_micros THEN
        v_reason := 'daily_cost_cap';
        RAISE EXCEPTION USING ERRCODE = 'WS001';
      END IF;
      INSERT INTO ai_daily_counters AS c (organization_id, feature_type, scope, day, requests, reserved_micros)
        VALUES (p_org, p_feature, p_client::text, p_day, 1, p_estimate_micros)
        ON CONFLICT (organization_id, feature_type, scope, day) DO UPDATE
          SET requests = c.requests + 1, reserved_micros = c.reserved_micros + EXCLUDED.reserved_micros
          WHERE c.requests + 1 <= p_client_max_requests
            AND c.spent_micros + c.reserved_micros + EXCLUDED.reserved_micros <= p_client_max_micros
        RETURNING c.* INTO v_client;
      IF NOT FOUND THEN
        SELECT * INTO v_client FROM ai_daily_counters c
          WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = p_client::text AND c.day = p_day;
        v_reason := CASE WHEN v_client.requests + 1 > p_client_max_requests THEN 'daily_request_cap' ELSE 'daily_cost_cap' END;
        RAISE EXCEPTION USING ERRCODE = 'WS001';
      END IF;
    END IF;

    IF p_estimate_micros > p_credit_limit_micros THEN
      v_reason := 'credit_limit';
      RAISE EXCEPTION USING ERRCODE = 'WS001';
    END IF;
    INSERT INTO ai_monthly_spend AS m (organization_id, month, reserved_micros)
      VALUES (p_org, p_month, p_estimate_micros)
      ON CONFLICT (organization_id, month) DO UPDATE
        SET reserved_micros = m.reserved_micros + EXCLUDED.reserved_micros
        WHERE m.spent_micros + m.reserved_micros + EXCLUDED.reserved_micros <= p_credit_limit_micros;
    IF NOT FOUND THEN
      v_reason := 'credit_limit';
      RAISE EXCEPTION USING ERRCODE = 'WS001';
    END IF;

    INSERT INTO ai_usage_logs AS l (request_id, organization_id, client_id, feature_type, request_size, model,
        provider, status, idempotency_key, request_hash, reserved_micros, quota_day, metadata)
      VALUES (p_request_id, p_org, p_client, p_feature, p_request_size, p_model, p_provider, 'pending',
        p_idempotency_key, p_request_hash, p_estimate_micros, p_day, p_metadata)
      ON CONFLICT (organization_id, idempotency_key) DO NOTHING;
    IF NOT FOUND THEN
      -- A concurrent request with the same idempotency key committed first.
      RAISE EXCEPTION USING ERRCODE = 'WS002';
    END IF;
  EXCEPTION
    WHEN SQLSTATE 'WS001' THEN
      INSERT INTO ai_usage_logs (request_id, organization_id, client_id, feature_type, request_size, model,
          provider, status, rejection_reason, quota_day, metadata)
        VALUES (p_request_id, p_org, p_client, p_feature, p_request_size, p_model, p_provider, 'rejected',
          v_reason, p_day, p_metadata);
      RETURN QUERY SELECT 'rejected', v_reason, p_request_id,
        v_org.requests, v_org.spent_micros + v_org.reserved_micros,
        v_client.requests, v_client.spent_micros + v_client.reserved_micros;
      RETURN;
    WHEN SQLSTATE 'WS002' THEN
      SELECT l.request_id, l.request_hash INTO v_existing
        FROM ai_usage_logs l
        WHERE l.organization_id = p_org AND l.idempotency_key = p_idempotency_key;
      RETURN QUERY SELECT
        CASE WHEN v_existing.request_hash IS DISTINCT FROM p_request_hash THEN 'conflict' ELSE 'duplicate' END,
        NULL::text, v_existing.request_id, NULL::integer, NULL::bigint, NULL::integer, NULL::bigint;
      RETURN;
  END;

  RETURN QUERY SELECT 'admitted', NULL::text, p_request_id,
    v_org.requests, v_org.spent_micros + v_org.reserved_micros,
    v_client.requests, v_client.spent_micros + v_client.reserved_micros;
END;
$$;
