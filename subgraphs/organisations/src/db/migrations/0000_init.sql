-- IF NOT EXISTS: the migrator creates this schema first, to hold its own __migrations table.
CREATE SCHEMA IF NOT EXISTS "organisations";
--> statement-breakpoint
CREATE TYPE "organisations"."organisation_kind" AS ENUM('PARTY_COMMITTEE', 'WORKSTATION', 'RESIDENTS_COMMITTEE', 'RESIDENTS_COUNCIL', 'SUPERVISION_COMMITTEE', 'SOCIAL_ORGANISATION', 'CHARITY_FUND', 'STOCK_COMPANY', 'OWNERS_COMMITTEE', 'PROPERTY_MANAGER', 'RESIDENT_UNIT', 'SERVICE_CENTRE');--> statement-breakpoint
CREATE TYPE "organisations"."post_role" AS ENUM('PARTY_SECRETARY', 'DEPUTY_PARTY_SECRETARY', 'PARTY_COMMITTEE_MEMBER', 'COMMITTEE_DIRECTOR', 'DEPUTY_DIRECTOR', 'COMMITTEE_MEMBER', 'WORKSTATION_HEAD', 'AREA_DIRECTOR', 'BUILDING_HEAD', 'LEGAL_ADVISER', 'COUNSELLOR', 'ANTI_DRUG_SOCIAL_WORKER');--> statement-breakpoint
CREATE TABLE "organisations"."buildings" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"households" integer NOT NULL,
	"grid_area_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisations"."communities" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"website" text,
	CONSTRAINT "communities_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "organisations"."community_placements" (
	"community_id" text NOT NULL,
	"subdistrict_id" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	CONSTRAINT "community_placements_community_id_valid_from_pk" PRIMARY KEY("community_id","valid_from")
);
--> statement-breakpoint
CREATE TABLE "organisations"."districts" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"city" text NOT NULL,
	"area_km2" integer NOT NULL,
	"valid_from" date NOT NULL,
	CONSTRAINT "districts_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "organisations"."grid_areas" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"community_id" text NOT NULL,
	CONSTRAINT "grid_areas_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "organisations"."organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "organisations"."organisation_kind" NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"credit_code" text,
	"community_id" text,
	"residents_committee_id" text,
	"phone" text,
	"email" text,
	"address" text,
	"website" text,
	"founded_on" date,
	CONSTRAINT "organisations_credit_code_unique" UNIQUE("credit_code")
);
--> statement-breakpoint
CREATE TABLE "organisations"."posts" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"role" "organisations"."post_role" NOT NULL,
	"label" text NOT NULL,
	"grid_area_id" text,
	"building_id" text,
	"valid_from" date NOT NULL,
	"valid_to" date
);
--> statement-breakpoint
CREATE TABLE "organisations"."residents_committees" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"community_id" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"seats" integer NOT NULL,
	CONSTRAINT "residents_committees_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "organisations"."residents_conventions" (
	"id" text PRIMARY KEY NOT NULL,
	"residents_committee_id" text NOT NULL,
	"version" integer NOT NULL,
	"adopted_on" date NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisations"."subdistricts" (
	"id" text PRIMARY KEY NOT NULL,
	"district_id" text NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"split_from_id" text,
	CONSTRAINT "subdistricts_code_unique" UNIQUE("code")
);
--> statement-breakpoint
ALTER TABLE "organisations"."buildings" ADD CONSTRAINT "buildings_grid_area_id_grid_areas_id_fk" FOREIGN KEY ("grid_area_id") REFERENCES "organisations"."grid_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."community_placements" ADD CONSTRAINT "community_placements_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "organisations"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."community_placements" ADD CONSTRAINT "community_placements_subdistrict_id_subdistricts_id_fk" FOREIGN KEY ("subdistrict_id") REFERENCES "organisations"."subdistricts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."grid_areas" ADD CONSTRAINT "grid_areas_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "organisations"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."organisations" ADD CONSTRAINT "organisations_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "organisations"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."organisations" ADD CONSTRAINT "organisations_residents_committee_id_residents_committees_id_fk" FOREIGN KEY ("residents_committee_id") REFERENCES "organisations"."residents_committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."posts" ADD CONSTRAINT "posts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisations"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."posts" ADD CONSTRAINT "posts_grid_area_id_grid_areas_id_fk" FOREIGN KEY ("grid_area_id") REFERENCES "organisations"."grid_areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."posts" ADD CONSTRAINT "posts_building_id_buildings_id_fk" FOREIGN KEY ("building_id") REFERENCES "organisations"."buildings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."residents_committees" ADD CONSTRAINT "residents_committees_community_id_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "organisations"."communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."residents_conventions" ADD CONSTRAINT "residents_conventions_residents_committee_id_residents_committees_id_fk" FOREIGN KEY ("residents_committee_id") REFERENCES "organisations"."residents_committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations"."subdistricts" ADD CONSTRAINT "subdistricts_district_id_districts_id_fk" FOREIGN KEY ("district_id") REFERENCES "organisations"."districts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "buildings_grid_area_idx" ON "organisations"."buildings" USING btree ("grid_area_id","id");--> statement-breakpoint
CREATE INDEX "community_placements_subdistrict_idx" ON "organisations"."community_placements" USING btree ("subdistrict_id","valid_from");--> statement-breakpoint
CREATE INDEX "grid_areas_community_idx" ON "organisations"."grid_areas" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "organisations_community_idx" ON "organisations"."organisations" USING btree ("community_id","id");--> statement-breakpoint
CREATE INDEX "organisations_committee_idx" ON "organisations"."organisations" USING btree ("residents_committee_id");--> statement-breakpoint
CREATE INDEX "organisations_kind_idx" ON "organisations"."organisations" USING btree ("kind","id");--> statement-breakpoint
CREATE INDEX "posts_organisation_idx" ON "organisations"."posts" USING btree ("organisation_id","id");--> statement-breakpoint
CREATE INDEX "posts_grid_area_idx" ON "organisations"."posts" USING btree ("grid_area_id");--> statement-breakpoint
CREATE INDEX "posts_building_idx" ON "organisations"."posts" USING btree ("building_id");--> statement-breakpoint
CREATE INDEX "residents_committees_community_idx" ON "organisations"."residents_committees" USING btree ("community_id");--> statement-breakpoint
CREATE INDEX "residents_conventions_committee_idx" ON "organisations"."residents_conventions" USING btree ("residents_committee_id","version");--> statement-breakpoint
CREATE INDEX "subdistricts_split_from_idx" ON "organisations"."subdistricts" USING btree ("split_from_id");