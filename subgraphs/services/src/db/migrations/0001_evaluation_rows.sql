-- Third-party evaluations under row-level security: requests run as gongzhi_app (no superuser, no
-- ownership, no BYPASSRLS) and state their caller per transaction; a partner sees the evaluations it
-- carried out, analysts, staff and admins all of them, a statement without claims none.
DO $$
BEGIN
  CREATE ROLE gongzhi_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles belong to the server: another database or slice created it already
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "services" TO gongzhi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "services" TO gongzhi_app;
--> statement-breakpoint
REVOKE ALL ON "services"."__migrations" FROM gongzhi_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA "services" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gongzhi_app;
--> statement-breakpoint
ALTER TABLE "services"."evaluations" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "services"."evaluations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "caller_rows" ON "services"."evaluations" USING (
  CASE current_setting('gongzhi.role', true)
    WHEN 'system' THEN true
    WHEN 'aggregate' THEN true
    WHEN 'analyst' THEN true
    WHEN 'staff' THEN true
    WHEN 'admin' THEN true
    WHEN 'partner' THEN evaluator_organisation_id = current_setting('gongzhi.organisation', true)
    ELSE false
  END
);
