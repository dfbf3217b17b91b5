-- IF NOT EXISTS: the migrator creates this schema first, to hold its own __migrations table.
CREATE SCHEMA IF NOT EXISTS "services";
--> statement-breakpoint
CREATE TYPE "services"."event_kind" AS ENUM('NEIGHBOURHOOD', 'TRAINING', 'LAW_LECTURE');--> statement-breakpoint
CREATE TYPE "services"."micro_project_category" AS ENUM('FACILITY', 'SERVICE', 'TRAINING', 'ACTIVITY');--> statement-breakpoint
CREATE TYPE "services"."micro_project_status" AS ENUM('PROPOSED', 'APPROVED', 'IN_PROGRESS', 'COMPLETED', 'EVALUATED', 'REJECTED');--> statement-breakpoint
CREATE TYPE "services"."service_kind" AS ENUM('LEGAL_ADVICE', 'COUNSELLING', 'ANTI_DRUG', 'CULTURE_ROOM');--> statement-breakpoint
CREATE TYPE "services"."service_request_category" AS ENUM('ENVIRONMENT', 'PUBLIC_SAFETY', 'NEIGHBOUR_DISPUTE', 'FACILITY_REPAIR', 'PROPERTY_MANAGEMENT', 'SOCIAL_ASSISTANCE', 'OTHER');--> statement-breakpoint
CREATE TYPE "services"."service_request_channel" AS ENUM('COMMUNITY_WEBSITE', 'HOTLINE', 'IN_PERSON', 'WECHAT', 'GRID_PATROL');--> statement-breakpoint
CREATE TYPE "services"."service_request_status" AS ENUM('SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED');--> statement-breakpoint
CREATE TABLE "services"."duty_items" (
	"id" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"department" text NOT NULL,
	"mandate" text NOT NULL,
	"devolvable" boolean NOT NULL,
	"funds_follow_task" boolean NOT NULL,
	CONSTRAINT "duty_items_title_unique" UNIQUE("title")
);
--> statement-breakpoint
CREATE TABLE "services"."evaluations" (
	"id" text PRIMARY KEY NOT NULL,
	"evaluator_organisation_id" text NOT NULL,
	"micro_project_id" text,
	"service_id" text,
	"evaluated_on" date NOT NULL,
	"score" integer NOT NULL,
	"report_ref" text NOT NULL,
	CONSTRAINT "evaluations_report_ref_unique" UNIQUE("report_ref"),
	CONSTRAINT "evaluations_subject_check" CHECK (num_nonnulls("services"."evaluations"."micro_project_id", "services"."evaluations"."service_id") = 1),
	CONSTRAINT "evaluations_score_check" CHECK ("services"."evaluations"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "services"."events" (
	"id" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"kind" "services"."event_kind" NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp(3) with time zone NOT NULL,
	"organiser_organisation_id" text NOT NULL,
	"attendance" integer NOT NULL,
	"sort_key" text GENERATED ALWAYS AS (lpad(((extract(epoch from ('9999-12-31T00:00:00Z'::timestamptz - "starts_at")) * 1000)::bigint)::text, 15, '0') || '/' || "id") STORED NOT NULL,
	CONSTRAINT "events_sort_key_unique" UNIQUE("sort_key"),
	CONSTRAINT "events_attendance_check" CHECK ("services"."events"."attendance" >= 0)
);
--> statement-breakpoint
CREATE TABLE "services"."micro_project_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"micro_project_id" text NOT NULL,
	"status" "services"."micro_project_status" NOT NULL,
	"previous_status" "services"."micro_project_status" GENERATED ALWAYS AS (case "status"
        when 'APPROVED' then 'PROPOSED'::"services"."micro_project_status"
        when 'REJECTED' then 'PROPOSED'::"services"."micro_project_status"
        when 'IN_PROGRESS' then 'APPROVED'::"services"."micro_project_status"
        when 'COMPLETED' then 'IN_PROGRESS'::"services"."micro_project_status"
        when 'EVALUATED' then 'COMPLETED'::"services"."micro_project_status"
      end) STORED,
	"on" date NOT NULL,
	"note" text NOT NULL,
	CONSTRAINT "micro_project_steps_project_status_unique" UNIQUE("micro_project_id","status"),
	CONSTRAINT "micro_project_steps_project_previous_unique" UNIQUE("micro_project_id","previous_status")
);
--> statement-breakpoint
CREATE TABLE "services"."micro_projects" (
	"id" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"subdistrict_id" text NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"category" "services"."micro_project_category" NOT NULL,
	"proposer_organisation_id" text NOT NULL,
	"planned_budget_fen" bigint NOT NULL,
	"beneficiaries" integer NOT NULL,
	CONSTRAINT "micro_projects_year_check" CHECK ("services"."micro_projects"."year" between 1900 and 2100),
	CONSTRAINT "micro_projects_budget_check" CHECK ("services"."micro_projects"."planned_budget_fen" >= 0),
	CONSTRAINT "micro_projects_beneficiaries_check" CHECK ("services"."micro_projects"."beneficiaries" >= 0)
);
--> statement-breakpoint
CREATE TABLE "services"."service_request_steps" (
	"id" text PRIMARY KEY NOT NULL,
	"service_request_id" text NOT NULL,
	"status" "services"."service_request_status" NOT NULL,
	"previous_status" "services"."service_request_status" GENERATED ALWAYS AS (case "status"
        when 'ACKNOWLEDGED' then 'SUBMITTED'::"services"."service_request_status"
        when 'IN_PROGRESS' then 'ACKNOWLEDGED'::"services"."service_request_status"
        when 'RESOLVED' then 'IN_PROGRESS'::"services"."service_request_status"
        when 'CLOSED' then 'RESOLVED'::"services"."service_request_status"
      end) STORED,
	"at" timestamp(3) with time zone NOT NULL,
	"submitted_at" timestamp(3) with time zone GENERATED ALWAYS AS (case when "status" = 'SUBMITTED' then "at" end) STORED,
	"note" text NOT NULL,
	CONSTRAINT "service_request_steps_request_status_unique" UNIQUE("service_request_id","status")
);
--> statement-breakpoint
CREATE TABLE "services"."service_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"subdistrict_id" text NOT NULL,
	"category" "services"."service_request_category" NOT NULL,
	"channel" "services"."service_request_channel" NOT NULL,
	"description" text NOT NULL,
	"submitted_at" timestamp(3) with time zone NOT NULL,
	"submitted_year" integer GENERATED ALWAYS AS (extract(year from ("submitted_at" at time zone 'UTC'))::int) STORED NOT NULL,
	"submitter_name" text NOT NULL,
	"submitter_phone" text NOT NULL,
	"satisfaction" integer,
	"sort_key" text GENERATED ALWAYS AS (lpad(((extract(epoch from ('9999-12-31T00:00:00Z'::timestamptz - "submitted_at")) * 1000)::bigint)::text, 15, '0') || '/' || "id") STORED NOT NULL,
	CONSTRAINT "service_requests_sort_key_unique" UNIQUE("sort_key"),
	CONSTRAINT "service_requests_id_submitted_at_unique" UNIQUE("id","submitted_at"),
	CONSTRAINT "service_requests_satisfaction_check" CHECK ("services"."service_requests"."satisfaction" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "services"."services" (
	"id" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"kind" "services"."service_kind" NOT NULL,
	"name" text NOT NULL,
	"provider_organisation_id" text NOT NULL,
	"location" text NOT NULL,
	"schedule" text[] NOT NULL,
	CONSTRAINT "services_schedule_check" CHECK (cardinality("services"."services"."schedule") = 0 or array_to_string("services"."services"."schedule", '|') ~ '^((MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY [0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9](\||$))+$')
);
--> statement-breakpoint
ALTER TABLE "services"."evaluations" ADD CONSTRAINT "evaluations_micro_project_id_micro_projects_id_fk" FOREIGN KEY ("micro_project_id") REFERENCES "services"."micro_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services"."evaluations" ADD CONSTRAINT "evaluations_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "services"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services"."micro_project_steps" ADD CONSTRAINT "micro_project_steps_micro_project_id_micro_projects_id_fk" FOREIGN KEY ("micro_project_id") REFERENCES "services"."micro_projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services"."micro_project_steps" ADD CONSTRAINT "micro_project_steps_previous_status_fk" FOREIGN KEY ("micro_project_id","previous_status") REFERENCES "services"."micro_project_steps"("micro_project_id","status") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD CONSTRAINT "service_request_steps_service_request_id_service_requests_id_fk" FOREIGN KEY ("service_request_id") REFERENCES "services"."service_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD CONSTRAINT "service_request_steps_previous_status_fk" FOREIGN KEY ("service_request_id","previous_status") REFERENCES "services"."service_request_steps"("service_request_id","status") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD CONSTRAINT "service_request_steps_submitted_at_fk" FOREIGN KEY ("service_request_id","submitted_at") REFERENCES "services"."service_requests"("id","submitted_at") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "evaluations_evaluator_idx" ON "services"."evaluations" USING btree ("evaluator_organisation_id","evaluated_on");--> statement-breakpoint
CREATE INDEX "evaluations_micro_project_idx" ON "services"."evaluations" USING btree ("micro_project_id");--> statement-breakpoint
CREATE INDEX "evaluations_service_idx" ON "services"."evaluations" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "events_community_idx" ON "services"."events" USING btree ("community_id","sort_key");--> statement-breakpoint
CREATE INDEX "events_starts_at_idx" ON "services"."events" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "events_organiser_idx" ON "services"."events" USING btree ("organiser_organisation_id");--> statement-breakpoint
CREATE INDEX "micro_projects_community_idx" ON "services"."micro_projects" USING btree ("community_id","id");--> statement-breakpoint
CREATE INDEX "micro_projects_subdistrict_idx" ON "services"."micro_projects" USING btree ("subdistrict_id","id");--> statement-breakpoint
CREATE INDEX "micro_projects_year_idx" ON "services"."micro_projects" USING btree ("year","id");--> statement-breakpoint
CREATE INDEX "micro_projects_category_idx" ON "services"."micro_projects" USING btree ("category","id");--> statement-breakpoint
CREATE INDEX "micro_projects_proposer_idx" ON "services"."micro_projects" USING btree ("proposer_organisation_id");--> statement-breakpoint
CREATE INDEX "service_requests_community_idx" ON "services"."service_requests" USING btree ("community_id","sort_key");--> statement-breakpoint
CREATE INDEX "service_requests_community_year_idx" ON "services"."service_requests" USING btree ("community_id","submitted_year");--> statement-breakpoint
CREATE INDEX "service_requests_subdistrict_year_idx" ON "services"."service_requests" USING btree ("subdistrict_id","submitted_year");--> statement-breakpoint
CREATE INDEX "service_requests_year_idx" ON "services"."service_requests" USING btree ("submitted_year");--> statement-breakpoint
CREATE INDEX "service_requests_submitted_at_idx" ON "services"."service_requests" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "services_community_idx" ON "services"."services" USING btree ("community_id","kind");--> statement-breakpoint
CREATE INDEX "services_provider_idx" ON "services"."services" USING btree ("provider_organisation_id");