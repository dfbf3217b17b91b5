-- Grants change state (AWARDED → ACTIVE → COMPLETED, or CANCELLED) through mutations that refuse lost
-- updates: each names the version the client read, and every change bumps it.
ALTER TABLE "funding"."grants" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
-- One progress report per grant and period: a second one for the same period is a duplicate. Its index
-- serves the grant's reports in period order, as the plain index it replaces did.
ALTER TABLE "funding"."progress_reports" ADD CONSTRAINT "progress_reports_grant_period_unique" UNIQUE ("grant_id", "period_end");
--> statement-breakpoint
DROP INDEX "funding"."progress_reports_grant_idx";
--> statement-breakpoint
-- caller_rows (0002_partner_rows) lets a partner write only rows of grants it is party to. These narrow
-- what it may write there (restrictive policies: every one must pass, whatever the permissive ones allow):
-- a partner submits progress reports as itself and never changes or removes one once submitted, and it
-- writes no transaction (money movements are recorded by staff). Other callers are not affected.
CREATE POLICY "partner_submits_as_itself" ON "funding"."progress_reports" AS RESTRICTIVE FOR INSERT
  WITH CHECK (current_setting('gongzhi.role', true) IS DISTINCT FROM 'partner'
              OR submitted_by_organisation_id = current_setting('gongzhi.organisation', true));
--> statement-breakpoint
CREATE POLICY "partner_keeps_reports" ON "funding"."progress_reports" AS RESTRICTIVE FOR UPDATE
  USING (current_setting('gongzhi.role', true) IS DISTINCT FROM 'partner');
--> statement-breakpoint
CREATE POLICY "partner_removes_no_report" ON "funding"."progress_reports" AS RESTRICTIVE FOR DELETE
  USING (current_setting('gongzhi.role', true) IS DISTINCT FROM 'partner');
--> statement-breakpoint
CREATE POLICY "partner_records_no_money" ON "funding"."transactions" AS RESTRICTIVE FOR INSERT
  WITH CHECK (current_setting('gongzhi.role', true) IS DISTINCT FROM 'partner');
--> statement-breakpoint
CREATE POLICY "partner_changes_no_money" ON "funding"."transactions" AS RESTRICTIVE FOR UPDATE
  USING (current_setting('gongzhi.role', true) IS DISTINCT FROM 'partner');
--> statement-breakpoint
CREATE POLICY "partner_removes_no_money" ON "funding"."transactions" AS RESTRICTIVE FOR DELETE
  USING (current_setting('gongzhi.role', true) IS DISTINCT FROM 'partner');
