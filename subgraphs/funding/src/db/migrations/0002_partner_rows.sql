-- Partner-owned rows (a grant's transactions and progress reports) under row-level security. Requests run
-- as gongzhi_app: no superuser, no ownership, no BYPASSRLS, so the policies bind whatever the resolvers
-- ask. A transaction states its caller with set_config('gongzhi.role' / 'gongzhi.organisation', ..., true);
-- without claims a statement sees no such row at all, so a forgotten filter shows nothing.
DO $$
BEGIN
  CREATE ROLE gongzhi_app NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles belong to the server: another database or slice created it already
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA "funding" TO gongzhi_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "funding" TO gongzhi_app;
--> statement-breakpoint
REVOKE ALL ON "funding"."__migrations" FROM gongzhi_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA "funding" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gongzhi_app;
--> statement-breakpoint
-- The balance check must see every transaction of the grant, whoever writes one.
ALTER FUNCTION "funding"."check_grant_balance"() SECURITY DEFINER SET search_path = "funding", pg_temp;
--> statement-breakpoint
CREATE FUNCTION "funding"."may_see_grant_rows"(grant_id text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE current_setting('gongzhi.role', true)
    -- Sums over every row (district spend, grant totals), loading the dataset, and the roles that read
    -- every grant.
    WHEN 'aggregate' THEN true
    WHEN 'system' THEN true
    WHEN 'analyst' THEN true
    WHEN 'staff' THEN true
    WHEN 'admin' THEN true
    WHEN 'partner' THEN EXISTS (
      SELECT 1 FROM "funding"."grants" g
       WHERE g.id = grant_id
         AND current_setting('gongzhi.organisation', true) IN (g.recipient_organisation_id, g.implementing_organisation_id))
    ELSE false
  END
$$;
--> statement-breakpoint
ALTER TABLE "funding"."transactions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "funding"."transactions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "caller_rows" ON "funding"."transactions" USING ("funding"."may_see_grant_rows"(grant_id)) WITH CHECK ("funding"."may_see_grant_rows"(grant_id));
--> statement-breakpoint
ALTER TABLE "funding"."progress_reports" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "funding"."progress_reports" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "caller_rows" ON "funding"."progress_reports" USING ("funding"."may_see_grant_rows"(grant_id)) WITH CHECK ("funding"."may_see_grant_rows"(grant_id));
