-- What every mutation of the slice needs: idempotency keys (a retried create answers its first result)
-- and the append-only audit log (who, when, what, before → after).
CREATE TABLE "services"."idempotency_keys" (
  "actor" text NOT NULL,
  "operation" text NOT NULL,
  "key" text NOT NULL,
  "entity_id" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("actor", "operation", "key")
);
--> statement-breakpoint
CREATE TABLE "services"."audit_log" (
  "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "at" timestamptz NOT NULL DEFAULT now(),
  "entity_type" text NOT NULL,
  "entity_id" text NOT NULL,
  "operation" text NOT NULL,
  "actor_role" text NOT NULL,
  "actor" text NOT NULL,
  "before" jsonb,
  "after" jsonb
);
--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "services"."audit_log" ("entity_id", "id");
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "services"."idempotency_keys" TO gongzhi_app;
--> statement-breakpoint
-- Append-only for requests: no update, no delete.
REVOKE UPDATE, DELETE ON "services"."audit_log" FROM gongzhi_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON "services"."audit_log" TO gongzhi_app;
--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA "services" TO gongzhi_app;
