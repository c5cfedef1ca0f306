ALTER TABLE "ai_alerts" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "ai_alerts_due_idx" ON "ai_alerts" USING btree ("next_attempt_at") WHERE next_attempt_at is not null;--> statement-breakpoint
-- Retries used to wait in the sending process: those still owed (fewer than the default six
-- attempts, raised in the last day, rule still has a webhook) are due now.
UPDATE "ai_alerts" a SET "next_attempt_at" = now()
  FROM "ai_alert_rules" r
  WHERE a.rule_id = r.id AND r.webhook_url IS NOT NULL AND r.webhook_secret IS NOT NULL
    AND a.delivered_at IS NULL AND a.delivery_attempts BETWEEN 1 AND 5
    AND a.created_at > now() - interval '1 day';
