-- IF NOT EXISTS: the migrator creates this schema first, to hold its own __migrations table.
CREATE SCHEMA IF NOT EXISTS "funding";
--> statement-breakpoint
CREATE TYPE "funding"."fund_kind" AS ENUM('MICRO_PROJECT_FUND', 'SOCIAL_ORGANISATION_SUPPORT', 'CHARITY_FUND');--> statement-breakpoint
CREATE TYPE "funding"."grant_status" AS ENUM('AWARDED', 'ACTIVE', 'COMPLETED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "funding"."transaction_type" AS ENUM('COMMITMENT', 'DISBURSEMENT', 'EXPENDITURE', 'REFUND');--> statement-breakpoint
CREATE TABLE "funding"."budgets" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"community_id" text NOT NULL,
	"subdistrict_id" text NOT NULL,
	"year" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	CONSTRAINT "budgets_programme_community_year_unique" UNIQUE("programme_id","community_id","year"),
	CONSTRAINT "budgets_amount_check" CHECK ("funding"."budgets"."amount_fen" > 0),
	CONSTRAINT "budgets_year_check" CHECK ("funding"."budgets"."year" between 1900 and 2100)
);
--> statement-breakpoint
CREATE TABLE "funding"."funds" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "funding"."fund_kind" NOT NULL,
	"name" text NOT NULL,
	"holder_organisation_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funding"."grants" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"title" text NOT NULL,
	"funder_organisation_id" text NOT NULL,
	"recipient_organisation_id" text NOT NULL,
	"implementing_organisation_id" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"awarded_on" date NOT NULL,
	"planned_start" date NOT NULL,
	"planned_end" date NOT NULL,
	"year" integer NOT NULL,
	"beneficiary_community_id" text NOT NULL,
	"beneficiary_subdistrict_id" text NOT NULL,
	"micro_project_id" text,
	"status" "funding"."grant_status" NOT NULL,
	"sort_key" text GENERATED ALWAYS AS (lpad(('9999-12-31'::date - "awarded_on")::text, 7, '0') || '/' || "id") STORED NOT NULL,
	CONSTRAINT "grants_sort_key_unique" UNIQUE("sort_key"),
	CONSTRAINT "grants_amount_check" CHECK ("funding"."grants"."amount_fen" > 0),
	CONSTRAINT "grants_year_check" CHECK ("funding"."grants"."year" between 1900 and 2100),
	CONSTRAINT "grants_dates_check" CHECK ("funding"."grants"."awarded_on" <= "funding"."grants"."planned_start" and "funding"."grants"."planned_start" <= "funding"."grants"."planned_end")
);
--> statement-breakpoint
CREATE TABLE "funding"."programmes" (
	"id" text PRIMARY KEY NOT NULL,
	"fund_id" text NOT NULL,
	"name" text NOT NULL,
	"funder_organisation_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "funding"."progress_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"grant_id" text NOT NULL,
	"submitted_by_organisation_id" text NOT NULL,
	"submitted_on" date NOT NULL,
	"period_end" date NOT NULL,
	"outputs" text NOT NULL,
	"spend_fen" bigint NOT NULL,
	"narrative" text NOT NULL,
	CONSTRAINT "progress_reports_spend_check" CHECK ("funding"."progress_reports"."spend_fen" >= 0),
	CONSTRAINT "progress_reports_dates_check" CHECK ("funding"."progress_reports"."period_end" <= "funding"."progress_reports"."submitted_on")
);
--> statement-breakpoint
CREATE TABLE "funding"."transactions" (
	"id" text PRIMARY KEY NOT NULL,
	"grant_id" text NOT NULL,
	"type" "funding"."transaction_type" NOT NULL,
	"on" date NOT NULL,
	"amount_fen" bigint NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "transactions_amount_check" CHECK ("funding"."transactions"."amount_fen" > 0)
);
--> statement-breakpoint
ALTER TABLE "funding"."budgets" ADD CONSTRAINT "budgets_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "funding"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."grants" ADD CONSTRAINT "grants_programme_id_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "funding"."programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."programmes" ADD CONSTRAINT "programmes_fund_id_funds_id_fk" FOREIGN KEY ("fund_id") REFERENCES "funding"."funds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."progress_reports" ADD CONSTRAINT "progress_reports_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "funding"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "funding"."transactions" ADD CONSTRAINT "transactions_grant_id_grants_id_fk" FOREIGN KEY ("grant_id") REFERENCES "funding"."grants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budgets_community_year_idx" ON "funding"."budgets" USING btree ("community_id","year");--> statement-breakpoint
CREATE INDEX "budgets_year_idx" ON "funding"."budgets" USING btree ("year");--> statement-breakpoint
CREATE INDEX "funds_kind_idx" ON "funding"."funds" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "grants_programme_idx" ON "funding"."grants" USING btree ("programme_id","sort_key");--> statement-breakpoint
CREATE INDEX "grants_programme_year_idx" ON "funding"."grants" USING btree ("programme_id","year");--> statement-breakpoint
CREATE INDEX "grants_recipient_idx" ON "funding"."grants" USING btree ("recipient_organisation_id","sort_key");--> statement-breakpoint
CREATE INDEX "grants_community_idx" ON "funding"."grants" USING btree ("beneficiary_community_id","sort_key");--> statement-breakpoint
CREATE INDEX "grants_subdistrict_idx" ON "funding"."grants" USING btree ("beneficiary_subdistrict_id","sort_key");--> statement-breakpoint
CREATE INDEX "grants_year_idx" ON "funding"."grants" USING btree ("year");--> statement-breakpoint
CREATE INDEX "grants_micro_project_idx" ON "funding"."grants" USING btree ("micro_project_id");--> statement-breakpoint
CREATE INDEX "programmes_fund_idx" ON "funding"."programmes" USING btree ("fund_id");--> statement-breakpoint
CREATE INDEX "progress_reports_grant_idx" ON "funding"."progress_reports" USING btree ("grant_id","period_end");--> statement-breakpoint
CREATE INDEX "progress_reports_submitter_idx" ON "funding"."progress_reports" USING btree ("submitted_by_organisation_id");--> statement-breakpoint
CREATE INDEX "transactions_grant_idx" ON "funding"."transactions" USING btree ("grant_id","on","id");