CREATE TABLE "ai_api_metrics_platform" (
	"hour" timestamp with time zone NOT NULL,
	"endpoint" text NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"client_errors" integer DEFAULT 0 NOT NULL,
	"server_errors" integer DEFAULT 0 NOT NULL,
	"duration_ms_total" bigint DEFAULT 0 NOT NULL,
	"db_ms_total" bigint DEFAULT 0 NOT NULL,
	"buckets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "ai_api_metrics_platform_hour_endpoint_pk" PRIMARY KEY("hour","endpoint")
);
--> statement-breakpoint
-- Backfill: every organization's figures so far, per endpoint and hour (histograms merged by adding counts).
INSERT INTO "ai_api_metrics_platform" (hour, endpoint, requests, client_errors, server_errors, duration_ms_total,
    db_ms_total, buckets)
  SELECT m.hour, m.endpoint, sum(m.requests), sum(m.client_errors), sum(m.server_errors), sum(m.duration_ms_total),
      sum(m.db_ms_total),
      coalesce((SELECT jsonb_object_agg(t.k, t.n)
                  FROM (SELECT b.key AS k, sum(b.value::int)::int AS n
                          FROM ai_api_metrics m2, jsonb_each_text(m2.buckets) b
                         WHERE m2.hour = m.hour AND m2.endpoint = m.endpoint
                         GROUP BY b.key) t), '{}'::jsonb)
    FROM ai_api_metrics m
    GROUP BY m.hour, m.endpoint;
