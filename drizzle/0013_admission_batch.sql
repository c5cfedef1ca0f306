-- Admission without a savepoint. The first version (0002) ran the caps inside a BEGIN ... EXCEPTION
-- block so that a rejection rolled back the reservations made before it; that is a subtransaction
-- per request, and a batch of more than 64 of them overflows each backend's subtransaction cache,
-- which slows every snapshot on the server. Now a rejection undoes the reservations it made itself
-- (the rows stay locked by this transaction until it ends, so nothing can come in between). Same
-- checks, same order, same outcomes, same rows.
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
  v_org_reserved boolean := false;
  v_client_reserved boolean := false;
  v_month_reserved boolean := false;
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

  -- 1. The organization's daily request and cost caps.
  IF p_org_max_requests < 1 THEN
    v_reason := 'daily_request_cap';
  ELSIF p_estimate_micros > p_org_max_micros THEN
    v_reason := 'daily_cost_cap';
  ELSE
    INSERT INTO ai_daily_counters AS c (organization_id, feature_type, scope, day, requests, reserved_micros)
      VALUES (p_org, p_feature, 'org', p_day, 1, p_estimate_micros)
      ON CONFLICT (organization_id, feature_type, scope, day) DO UPDATE
        SET requests = c.requests + 1, reserved_micros = c.reserved_micros + EXCLUDED.reserved_micros
        WHERE c.requests + 1 <= p_org_max_requests
          AND c.spent_micros + c.reserved_micros + EXCLUDED.reserved_micros <= p_org_max_micros
      RETURNING c.* INTO v_org;
    IF FOUND THEN
      v_org_reserved := true;
    ELSE
      SELECT * INTO v_org FROM ai_daily_counters c
        WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = 'org' AND c.day = p_day;
      v_reason := CASE WHEN v_org.requests + 1 > p_org_max_requests THEN 'daily_request_cap' ELSE 'daily_cost_cap' END;
    END IF;
  END IF;

  -- 2. The client's, when the request is for a client.
  IF v_reason IS NULL AND p_client IS NOT NULL THEN
    IF p_client_max_requests < 1 THEN
      v_reason := 'daily_request_cap';
    ELSIF p_estimate_micros > p_client_max_micros THEN
      v_reason := 'daily_cost_cap';
    ELSE
      INSERT INTO ai_daily_counters AS c (organization_id, feature_type, scope, day, requests, reserved_micros)
        VALUES (p_org, p_feature, p_client::text, p_day, 1, p_estimate_micros)
        ON CONFLICT (organization_id, feature_type, scope, day) DO UPDATE
          SET requests = c.requests + 1, reserved_micros = c.reserved_micros + EXCLUDED.reserved_micros
          WHERE c.requests + 1 <= p_client_max_requests
            AND c.spent_micros + c.reserved_micros + EXCLUDED.reserved_micros <= p_client_max_micros
        RETURNING c.* INTO v_client;
      IF FOUND THEN
        v_client_reserved := true;
      ELSE
        SELECT * INTO v_client FROM ai_daily_counters c
          WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = p_client::text AND c.day = p_day;
        v_reason := CASE WHEN v_client.requests + 1 > p_client_max_requests THEN 'daily_request_cap' ELSE 'daily_cost_cap' END;
      END IF;
    END IF;
  END IF;

  -- 3. The monthly credit limit.
  IF v_reason IS NULL THEN
    IF p_estimate_micros > p_credit_limit_micros THEN
      v_reason := 'credit_limit';
    ELSE
      INSERT INTO ai_monthly_spend AS m (organization_id, month, reserved_micros)
        VALUES (p_org, p_month, p_estimate_micros)
        ON CONFLICT (organization_id, month) DO UPDATE
          SET reserved_micros = m.reserved_micros + EXCLUDED.reserved_micros
          WHERE m.spent_micros + m.reserved_micros + EXCLUDED.reserved_micros <= p_credit_limit_micros;
      IF FOUND THEN
        v_month_reserved := true;
      ELSE
        v_reason := 'credit_limit';
      END IF;
    END IF;
  END IF;

  -- 4. The pending row; a concurrent request with the same idempotency key may have committed first.
  IF v_reason IS NULL THEN
    INSERT INTO ai_usage_logs AS l (request_id, organization_id, client_id, feature_type, request_size, model,
        provider, status, idempotency_key, request_hash, reserved_micros, quota_day, metadata)
      VALUES (p_request_id, p_org, p_client, p_feature, p_request_size, p_model, p_provider, 'pending',
        p_idempotency_key, p_request_hash, p_estimate_micros, p_day, p_metadata)
      ON CONFLICT (organization_id, idempotency_key) DO NOTHING;
    IF FOUND THEN
      RETURN QUERY SELECT 'admitted', NULL::text, p_request_id,
        v_org.requests, v_org.spent_micros + v_org.reserved_micros,
        v_client.requests, v_client.spent_micros + v_client.reserved_micros;
      RETURN;
    END IF;
  END IF;

  -- Turned away, or a duplicate: give back what this request reserved.
  -- A row this request created comes back to all zeros: it goes, as if never written (nothing else
  -- writes a row that has counted nothing).
  IF v_org_reserved THEN
    UPDATE ai_daily_counters c SET requests = c.requests - 1, reserved_micros = c.reserved_micros - p_estimate_micros
      WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = 'org' AND c.day = p_day;
    DELETE FROM ai_daily_counters c
      WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = 'org' AND c.day = p_day
        AND c.requests = 0 AND c.reserved_micros = 0 AND c.spent_micros = 0;
  END IF;
  IF v_client_reserved THEN
    UPDATE ai_daily_counters c SET requests = c.requests - 1, reserved_micros = c.reserved_micros - p_estimate_micros
      WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = p_client::text AND c.day = p_day;
    DELETE FROM ai_daily_counters c
      WHERE c.organization_id = p_org AND c.feature_type = p_feature AND c.scope = p_client::text AND c.day = p_day
        AND c.requests = 0 AND c.reserved_micros = 0 AND c.spent_micros = 0;
  END IF;
  IF v_month_reserved THEN
    UPDATE ai_monthly_spend m SET reserved_micros = m.reserved_micros - p_estimate_micros
      WHERE m.organization_id = p_org AND m.month = p_month;
    DELETE FROM ai_monthly_spend m
      WHERE m.organization_id = p_org AND m.month = p_month AND m.reserved_micros = 0 AND m.spent_micros = 0;
  END IF;

  IF v_reason IS NULL THEN
    SELECT l.request_id, l.request_hash INTO v_existing
      FROM ai_usage_logs l
      WHERE l.organization_id = p_org AND l.idempotency_key = p_idempotency_key;
    RETURN QUERY SELECT
      CASE WHEN v_existing.request_hash IS DISTINCT FROM p_request_hash THEN 'conflict' ELSE 'duplicate' END,
      NULL::text, v_existing.request_id, NULL::integer, NULL::bigint, NULL::integer, NULL::bigint;
    RETURN;
  END IF;

  INSERT INTO ai_usage_logs (request_id, organization_id, client_id, feature_type, request_size, model,
      provider, status, rejection_reason, quota_day, metadata)
    VALUES (p_request_id, p_org, p_client, p_feature, p_request_size, p_model, p_provider, 'rejected',
      v_reason, p_day, p_metadata);
  RETURN QUERY SELECT 'rejected', v_reason, p_request_id,
    v_org.requests, v_org.spent_micros + v_org.reserved_micros,
    v_client.requests, v_client.spent_micros + v_client.reserved_micros;
END;
$$;
--> statement-breakpoint
-- Admission for a batch of concurrent requests in one statement and one commit (group commit of
-- admissions), with the same outcome as each request going through wedsync_admit on its own, one
-- after the other, so every cap sees the requests admitted before it in the batch. Requests are
-- taken in (organization, feature, position) order so that two batches lock counter rows in the
-- same order. `ord` is the request's position in p_requests (1-based).
--
-- The common case has a shortcut: one organization, feature and day, no idempotency key, and the
-- whole batch fitting under every cap. Counts and sums only grow, so if all of it fits, each
-- request would have been admitted in turn; one conditional update per counter admits them all,
-- and each request's figures are the counters before the batch plus the requests up to it. If
-- any counter refuses, what was reserved is given back and the batch goes the one-by-one way.
CREATE OR REPLACE FUNCTION wedsync_admit_batch(p_requests jsonb) RETURNS TABLE (
  ord integer,
  outcome text,
  reason text,
  request_id uuid,
  org_requests integer,
  org_used_micros bigint,
  client_requests integer,
  client_used_micros bigint
) LANGUAGE plpgsql AS $$
DECLARE
  v_req record;
  v_res record;
  v_all record;
  v_group record;
  v_org ai_daily_counters%ROWTYPE;
  v_client ai_daily_counters%ROWTYPE;
  -- Per client of the batch: its counter after the batch, and the batch's requests and estimates.
  v_clients jsonb := '{}'::jsonb;
  v_refused boolean := false;
BEGIN
  SELECT count(*)::int AS n,
         count(DISTINCT ROW(r->>'organizationId', r->>'featureType', r->>'day', r->>'month',
           r->>'orgMaxRequests', r->>'orgMaxMicros', r->>'creditLimitMicros')) AS kinds,
         count(DISTINCT r->>'clientId') AS clients,
         count(DISTINCT ROW(r->>'clientId', r->>'clientMaxRequests', r->>'clientMaxMicros'))
           FILTER (WHERE r->>'clientId' IS NOT NULL) AS client_kinds,
         bool_and(r->>'idempotencyKey' IS NULL) AS no_keys,
         bool_and((r->>'estimateMicros')::bigint >= 0) AS estimates_ok,
         min(r->>'organizationId')::uuid AS org,
         min(r->>'featureType')::ai_feature_type AS feature,
         min(r->>'day')::date AS day,
         min(r->>'month') AS month,
         min((r->>'orgMaxRequests')::integer) AS org_max_requests,
         min((r->>'orgMaxMicros')::bigint) AS org_max_micros,
         min((r->>'creditLimitMicros')::bigint) AS credit_limit_micros,
         coalesce(sum((r->>'estimateMicros')::bigint), 0)::bigint AS total
    INTO v_all
    FROM jsonb_array_elements(p_requests) r;

  IF v_all.n > 1 AND v_all.kinds = 1 AND v_all.no_keys AND v_all.estimates_ok
     AND v_all.client_kinds = v_all.clients
     AND v_all.n <= v_all.org_max_requests AND v_all.total <= v_all.org_max_micros
     AND v_all.total <= v_all.credit_limit_micros THEN
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO ai_daily_counters AS c (organization_id, feature_type, scope, day, requests, reserved_micros)
      VALUES (v_all.org, v_all.feature, 'org', v_all.day, v_all.n, v_all.total)
      ON CONFLICT (organization_id, feature_type, scope, day) DO UPDATE
        SET requests = c.requests + EXCLUDED.requests, reserved_micros = c.reserved_micros + EXCLUDED.reserved_micros
        WHERE c.requests + EXCLUDED.requests <= v_all.org_max_requests
          AND c.spent_micros + c.reserved_micros + EXCLUDED.reserved_micros <= v_all.org_max_micros
      RETURNING c.* INTO v_org;
    v_refused := NOT FOUND;

    IF NOT v_refused THEN
      FOR v_group IN
        SELECT r->>'clientId' AS client, min((r->>'clientMaxRequests')::integer) AS max_requests,
               min((r->>'clientMaxMicros')::bigint) AS max_micros, count(*)::int AS n,
               sum((r->>'estimateMicros')::bigint)::bigint AS total
          FROM jsonb_array_elements(p_requests) r
         WHERE r->>'clientId' IS NOT NULL
         GROUP BY r->>'clientId'
         ORDER BY r->>'clientId'
      LOOP
        IF v_group.n > v_group.max_requests OR v_group.total > v_group.max_micros THEN
          v_refused := true;
          EXIT;
        END IF;
        INSERT INTO ai_daily_counters AS c (organization_id, feature_type, scope, day, requests, reserved_micros)
          VALUES (v_all.org, v_all.feature, v_group.client, v_all.day, v_group.n, v_group.total)
          ON CONFLICT (organization_id, feature_type, scope, day) DO UPDATE
            SET requests = c.requests + EXCLUDED.requests, reserved_micros = c.reserved_micros + EXCLUDED.reserved_micros
            WHERE c.requests + EXCLUDED.requests <= v_group.max_requests
              AND c.spent_micros + c.reserved_micros + EXCLUDED.reserved_micros <= v_group.max_micros
          RETURNING c.* INTO v_client;
        IF NOT FOUND THEN
          v_refused := true;
          EXIT;
        END IF;
        v_clients := v_clients || jsonb_build_object(v_group.client, jsonb_build_object(
          'requests', v_client.requests, 'used', v_client.spent_micros + v_client.reserved_micros,
          'n', v_group.n, 'total', v_group.total));
      END LOOP;
    END IF;

    IF NOT v_refused THEN
      INSERT INTO ai_monthly_spend AS m (organization_id, month, reserved_micros)
        VALUES (v_all.org, v_all.month, v_all.total)
        ON CONFLICT (organization_id, month) DO UPDATE
          SET reserved_micros = m.reserved_micros + EXCLUDED.reserved_micros
          WHERE m.spent_micros + m.reserved_micros + EXCLUDED.reserved_micros <= v_all.credit_limit_micros;
      v_refused := NOT FOUND;
    END IF;

    IF v_refused THEN
      -- Give back what the organization (if its counter took the batch) and the clients reserved;
      -- rows left at zero go.
      IF v_org.organization_id IS NOT NULL THEN
        UPDATE ai_daily_counters c SET requests = c.requests - v_all.n, reserved_micros = c.reserved_micros - v_all.total
          WHERE c.organization_id = v_all.org AND c.feature_type = v_all.feature AND c.scope = 'org' AND c.day = v_all.day;
      END IF;
      UPDATE ai_daily_counters c
         SET requests = c.requests - (v_clients -> c.scope ->> 'n')::int,
             reserved_micros = c.reserved_micros - (v_clients -> c.scope ->> 'total')::bigint
       WHERE c.organization_id = v_all.org AND c.feature_type = v_all.feature AND c.day = v_all.day
         AND v_clients ? c.scope;
      DELETE FROM ai_daily_counters c
       WHERE c.organization_id = v_all.org AND c.feature_type = v_all.feature AND c.day = v_all.day
         AND c.requests = 0 AND c.reserved_micros = 0 AND c.spent_micros = 0;
    ELSE
      INSERT INTO ai_usage_logs (request_id, organization_id, client_id, feature_type, request_size, model,
          provider, status, reserved_micros, quota_day, metadata)
        SELECT (r->>'requestId')::uuid, v_all.org, (r->>'clientId')::uuid, v_all.feature,
               (r->>'requestSize')::integer, r->>'model', r->>'provider', 'pending',
               (r->>'estimateMicros')::bigint, v_all.day, r->'metadata'
          FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(r, n)
         ORDER BY e.n;
      RETURN QUERY
        SELECT e.n::integer, 'admitted'::text, NULL::text, (e.r->>'requestId')::uuid,
               (v_org.requests - v_all.n + row_number() OVER (ORDER BY e.n))::integer,
               (v_org.spent_micros + v_org.reserved_micros - v_all.total
                 + sum((e.r->>'estimateMicros')::bigint) OVER (ORDER BY e.n))::bigint,
               CASE WHEN e.r->>'clientId' IS NULL THEN NULL ELSE
                 ((v_clients -> (e.r->>'clientId') ->> 'requests')::integer
                   - (v_clients -> (e.r->>'clientId') ->> 'n')::integer
                   + row_number() OVER (PARTITION BY e.r->>'clientId' ORDER BY e.n))::integer END,
               CASE WHEN e.r->>'clientId' IS NULL THEN NULL ELSE
                 ((v_clients -> (e.r->>'clientId') ->> 'used')::bigint
                   - (v_clients -> (e.r->>'clientId') ->> 'total')::bigint
                   + sum((e.r->>'estimateMicros')::bigint) OVER (PARTITION BY e.r->>'clientId' ORDER BY e.n))::bigint END
          FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(r, n);
      RETURN;
    END IF;
  END IF;

  FOR v_req IN
    SELECT e.item AS r, e.n::integer AS n
      FROM jsonb_array_elements(p_requests) WITH ORDINALITY AS e(item, n)
     ORDER BY e.item->>'organizationId', e.item->>'featureType', e.n
  LOOP
    SELECT * INTO v_res FROM wedsync_admit(
      (v_req.r->>'requestId')::uuid,
      (v_req.r->>'organizationId')::uuid,
      (v_req.r->>'clientId')::uuid,
      (v_req.r->>'featureType')::ai_feature_type,
      (v_req.r->>'day')::date,
      v_req.r->>'month',
      (v_req.r->>'orgMaxRequests')::integer,
      (v_req.r->>'orgMaxMicros')::bigint,
      (v_req.r->>'clientMaxRequests')::integer,
      (v_req.r->>'clientMaxMicros')::bigint,
      (v_req.r->>'creditLimitMicros')::bigint,
      (v_req.r->>'estimateMicros')::bigint,
      v_req.r->>'idempotencyKey',
      v_req.r->>'requestHash',
      (v_req.r->>'requestSize')::integer,
      v_req.r->>'model',
      v_req.r->>'provider',
      v_req.r->'metadata');
    ord := v_req.n;
    outcome := v_res.outcome;
    reason := v_res.reason;
    request_id := v_res.request_id;
    org_requests := v_res.org_requests;
    org_used_micros := v_res.org_used_micros;
    client_requests := v_res.client_requests;
    client_used_micros := v_res.client_used_micros;
    RETURN NEXT;
  END LOOP;
END;
$$;
