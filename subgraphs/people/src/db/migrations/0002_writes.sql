-- Requests run as gongzhi_app (no superuser, no ownership, no BYPASSRLS), so the audit log below is
-- append-only for them. Migrations and seeding run as the connecting user.
DO $$
BEGIN
  CREATE ROLE gongzhi_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles belong to the server: another database or slice created it already
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "people" TO gongzhi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "people" TO gongzhi_app;
--> statement-breakpoint
REVOKE ALL ON "people"."__migrations" FROM gongzhi_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA "people" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gongzhi_app;
--> statement-breakpoint
-- What every mutation of the slice needs: idempotency keys (a retried create answers its first result)
-- and the append-only audit log (who, when, what, before → after).
CREATE TABLE "people"."idempotency_keys" (
  "actor" text NOT NULL,
  "operation" text NOT NULL,
  "key" text NOT NULL,
  "entity_id" text,
  "created_at" timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY ("actor", "operation", "key")
);
--> statement-breakpoint
CREATE TABLE "people"."audit_log" (
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
CREATE INDEX "audit_log_entity_idx" ON "people"."audit_log" ("entity_id", "id");
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "people"."idempotency_keys" TO gongzhi_app;
--> statement-breakpoint
-- Append-only for requests: no update, no delete.
REVOKE UPDATE, DELETE ON "people"."audit_log" FROM gongzhi_app;
--> statement-breakpoint
GRANT SELECT, INSERT ON "people"."audit_log" TO gongzhi_app;
--> statement-breakpoint
GRANT USAGE ON ALL SEQUENCES IN SCHEMA "people" TO gongzhi_app;
