-- IF NOT EXISTS: the migrator creates this schema first, to hold its own __migrations table.
CREATE SCHEMA IF NOT EXISTS "people";
--> statement-breakpoint
CREATE TYPE "people"."deputy_body" AS ENUM('NPC', 'CPPCC');--> statement-breakpoint
CREATE TYPE "people"."deputy_level" AS ENUM('DISTRICT', 'CITY');--> statement-breakpoint
CREATE TYPE "people"."education" AS ENUM('PRIMARY', 'JUNIOR_SECONDARY', 'SENIOR_SECONDARY', 'VOCATIONAL', 'ASSOCIATE', 'BACHELOR', 'MASTER', 'DOCTORATE');--> statement-breakpoint
CREATE TYPE "people"."evaluation_rating" AS ENUM('EXCELLENT', 'COMPETENT', 'BASICALLY_COMPETENT', 'INCOMPETENT');--> statement-breakpoint
CREATE TYPE "people"."gender" AS ENUM('FEMALE', 'MALE');--> statement-breakpoint
CREATE TYPE "people"."hukou" AS ENUM('LOCAL', 'NON_LOCAL');--> statement-breakpoint
CREATE TYPE "people"."pay_grade" AS ENUM('GRADE_1', 'GRADE_2', 'GRADE_3', 'GRADE_4', 'GRADE_5', 'GRADE_6');--> statement-breakpoint
CREATE TYPE "people"."post_role" AS ENUM('PARTY_SECRETARY', 'DEPUTY_PARTY_SECRETARY', 'PARTY_COMMITTEE_MEMBER', 'COMMITTEE_DIRECTOR', 'DEPUTY_DIRECTOR', 'COMMITTEE_MEMBER', 'WORKSTATION_HEAD', 'AREA_DIRECTOR', 'BUILDING_HEAD', 'LEGAL_ADVISER', 'COUNSELLOR', 'ANTI_DRUG_SOCIAL_WORKER');--> statement-breakpoint
CREATE TYPE "people"."recruitment_channel" AS ENUM('PUBLIC_EXAM', 'TRANSFER', 'ELECTED_CADRE', 'CONTRACT');--> statement-breakpoint
CREATE TABLE "people"."deputies" (
	"id" text PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"body" "people"."deputy_body" NOT NULL,
	"level" "people"."deputy_level" NOT NULL,
	"term_start" integer NOT NULL,
	"term_end" integer NOT NULL,
	"reception_community_id" text NOT NULL,
	"reception_days" integer[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."evaluations" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"year" integer NOT NULL,
	"rating" "people"."evaluation_rating" NOT NULL,
	"score" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."memberships" (
	"id" text PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"post_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"role" "people"."post_role" NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date
);
--> statement-breakpoint
CREATE TABLE "people"."persons" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"gender" "people"."gender" NOT NULL,
	"birth_year" integer NOT NULL,
	"hukou" "people"."hukou" NOT NULL,
	"community_id" text NOT NULL,
	"education" "people"."education" NOT NULL,
	"id_number" text NOT NULL,
	"phone" text NOT NULL,
	"address" text NOT NULL,
	"birth_date" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."population_counts" (
	"community_id" text NOT NULL,
	"year" integer NOT NULL,
	"subdistrict_id" text NOT NULL,
	"local_hukou" integer NOT NULL,
	"non_local_hukou" integer NOT NULL,
	CONSTRAINT "population_counts_community_id_year_pk" PRIMARY KEY("community_id","year")
);
--> statement-breakpoint
CREATE TABLE "people"."trainings" (
	"id" text PRIMARY KEY NOT NULL,
	"worker_id" text NOT NULL,
	"title" text NOT NULL,
	"provider" text NOT NULL,
	"completed_on" date NOT NULL,
	"hours" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."volunteers" (
	"id" text PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"community_id" text NOT NULL,
	"registered_on" date NOT NULL,
	"service_hours" integer NOT NULL,
	"skills" text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people"."workers" (
	"id" text PRIMARY KEY NOT NULL,
	"person_id" text NOT NULL,
	"community_id" text NOT NULL,
	"post_id" text,
	"grade" "people"."pay_grade" NOT NULL,
	"pay_band" integer NOT NULL,
	"recruitment_channel" "people"."recruitment_channel" NOT NULL,
	"recruited_year" integer NOT NULL,
	"hired_on" date NOT NULL,
	"left_on" date
);
--> statement-breakpoint
ALTER TABLE "people"."deputies" ADD CONSTRAINT "deputies_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."evaluations" ADD CONSTRAINT "evaluations_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "people"."workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."memberships" ADD CONSTRAINT "memberships_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."trainings" ADD CONSTRAINT "trainings_worker_id_workers_id_fk" FOREIGN KEY ("worker_id") REFERENCES "people"."workers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."volunteers" ADD CONSTRAINT "volunteers_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people"."workers" ADD CONSTRAINT "workers_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "people"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deputies_person_idx" ON "people"."deputies" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "deputies_reception_community_idx" ON "people"."deputies" USING btree ("reception_community_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "evaluations_worker_year_idx" ON "people"."evaluations" USING btree ("worker_id","year");--> statement-breakpoint
CREATE INDEX "memberships_person_idx" ON "people"."memberships" USING btree ("person_id","valid_from");--> statement-breakpoint
CREATE INDEX "memberships_post_idx" ON "people"."memberships" USING btree ("post_id","valid_from");--> statement-breakpoint
CREATE INDEX "memberships_organisation_idx" ON "people"."memberships" USING btree ("organisation_id","valid_from");--> statement-breakpoint
CREATE INDEX "persons_community_idx" ON "people"."persons" USING btree ("community_id","id");--> statement-breakpoint
CREATE INDEX "persons_community_hukou_idx" ON "people"."persons" USING btree ("community_id","hukou","id");--> statement-breakpoint
CREATE INDEX "population_counts_subdistrict_idx" ON "people"."population_counts" USING btree ("subdistrict_id","year");--> statement-breakpoint
CREATE INDEX "trainings_worker_idx" ON "people"."trainings" USING btree ("worker_id","completed_on");--> statement-breakpoint
CREATE UNIQUE INDEX "volunteers_person_idx" ON "people"."volunteers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "volunteers_community_idx" ON "people"."volunteers" USING btree ("community_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "workers_person_idx" ON "people"."workers" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "workers_community_idx" ON "people"."workers" USING btree ("community_id","id");--> statement-breakpoint
CREATE INDEX "workers_recruited_idx" ON "people"."workers" USING btree ("recruited_year","id");