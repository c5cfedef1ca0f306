-- Admission for a batch of concurrent requests in one statement and one commit (group commit of
-- admissions): each request goes through wedsync_admit exactly as on its own, one after the other,
-- so every cap sees the requests admitted before it in the batch. Requests are taken in
-- (organization, feature, position) order so that two batches lock counter rows in the same
-- order. `ord` is the request's position in p_requests (1-based).
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
BEGIN
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
