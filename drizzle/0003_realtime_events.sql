CREATE SEQUENCE "public"."ai_usage_event_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "ai_config_audit" ADD COLUMN "client_id" uuid;--> statement-breakpoint
ALTER TABLE "ai_usage_logs" ADD COLUMN "event_seq" bigint;--> statement-breakpoint
ALTER TABLE "ai_config_audit" ADD CONSTRAINT "ai_config_audit_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_config_audit_org_id_idx" ON "ai_config_audit" USING btree ("organization_id","id");--> statement-breakpoint
CREATE INDEX "ai_config_audit_client_id_idx" ON "ai_config_audit" USING btree ("client_id","id");--> statement-breakpoint
CREATE INDEX "ai_usage_logs_org_event_seq_idx" ON "ai_usage_logs" USING btree ("organization_id","event_seq");