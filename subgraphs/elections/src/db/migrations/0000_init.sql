-- IF NOT EXISTS: the migrator creates this schema first, to hold its own __migrations table.
CREATE SCHEMA IF NOT EXISTS "elections";
--> statement-breakpoint
CREATE TYPE "elections"."candidacy_outcome" AS ENUM('PENDING', 'ELECTED', 'NOT_ELECTED');--> statement-breakpoint
CREATE TYPE "elections"."election_type" AS ENUM('GENERAL', 'BY_ELECTION');--> statement-breakpoint
CREATE TYPE "elections"."hukou" AS ENUM('LOCAL', 'NON_LOCAL');--> statement-breakpoint
CREATE TYPE "elections"."matter_stage" AS ENUM('PROPOSED', 'DISCUSSED', 'REVIEWED', 'RESOLVED', 'RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED');--> statement-breakpoint
CREATE TYPE "elections"."meeting_kind" AS ENUM('RESIDENTS_COUNCIL', 'SUPERVISION_COMMITTEE');--> statement-breakpoint
CREATE TYPE "elections"."report_status" AS ENUM('PRE_ELECTION', 'UNOFFICIAL', 'CERTIFIED');--> statement-breakpoint
CREATE TABLE "elections"."candidacies" (
	"id" text PRIMARY KEY NOT NULL,
	"election_id" text NOT NULL,
	"person_id" text NOT NULL,
	"position" integer NOT NULL,
	"incumbent" boolean NOT NULL,
	"outcome" "elections"."candidacy_outcome" NOT NULL,
	"votes" integer,
	"served_to" date,
	CONSTRAINT "candidacies_election_position_unique" UNIQUE("election_id","position"),
	CONSTRAINT "candidacies_election_person_unique" UNIQUE("election_id","person_id"),
	CONSTRAINT "candidacies_position_check" CHECK ("elections"."candidacies"."position" >= 1),
	CONSTRAINT "candidacies_votes_check" CHECK (("elections"."candidacies"."outcome" = 'PENDING') = ("elections"."candidacies"."votes" is null) and "elections"."candidacies"."votes" >= 0),
	CONSTRAINT "candidacies_served_to_check" CHECK ("elections"."candidacies"."served_to" is null or "elections"."candidacies"."outcome" = 'ELECTED')
);
--> statement-breakpoint
CREATE TABLE "elections"."elections" (
	"id" text PRIMARY KEY NOT NULL,
	"residents_committee_id" text NOT NULL,
	"community_id" text NOT NULL,
	"subdistrict_id" text NOT NULL,
	"type" "elections"."election_type" NOT NULL,
	"differential" boolean NOT NULL,
	"seats" integer NOT NULL,
	"announced_on" date NOT NULL,
	"held_on" date NOT NULL,
	"report_status" "elections"."report_status" NOT NULL,
	"certified_on" date,
	"ballots_cast" integer,
	"ballots_rejected" integer,
	"participated" integer,
	"sort_key" text GENERATED ALWAYS AS (lpad(('9999-12-31'::date - "held_on")::text, 7, '0') || '/' || "id") STORED NOT NULL,
	CONSTRAINT "elections_sort_key_unique" UNIQUE("sort_key"),
	CONSTRAINT "elections_seats_check" CHECK ("elections"."elections"."seats" > 0),
	CONSTRAINT "elections_dates_check" CHECK ("elections"."elections"."announced_on" <= "elections"."elections"."held_on" and ("elections"."elections"."certified_on" is null or "elections"."elections"."certified_on" >= "elections"."elections"."held_on")),
	CONSTRAINT "elections_certified_check" CHECK (("elections"."elections"."report_status" = 'CERTIFIED') = ("elections"."elections"."certified_on" is not null)),
	CONSTRAINT "elections_count_check" CHECK (("elections"."elections"."report_status" = 'PRE_ELECTION') = ("elections"."elections"."participated" is null)
        and ("elections"."elections"."participated" is null) = ("elections"."elections"."ballots_cast" is null)
        and ("elections"."elections"."participated" is null) = ("elections"."elections"."ballots_rejected" is null)
        and "elections"."elections"."ballots_rejected" between 0 and "elections"."elections"."ballots_cast"
        and "elections"."elections"."ballots_cast" between 0 and "elections"."elections"."participated")
);
--> statement-breakpoint
CREATE TABLE "elections"."matter_stages" (
	"id" text PRIMARY KEY NOT NULL,
	"matter_id" text NOT NULL,
	"stage" "elections"."matter_stage" NOT NULL,
	"previous_stage" "elections"."matter_stage" GENERATED ALWAYS AS (case "stage"
        when 'DISCUSSED' then 'PROPOSED'::"elections"."matter_stage"
        when 'REVIEWED' then 'DISCUSSED'::"elections"."matter_stage"
        when 'RESOLVED' then 'REVIEWED'::"elections"."matter_stage"
        when 'RESOLUTION_PUBLISHED' then 'RESOLVED'::"elections"."matter_stage"
        when 'RESULT_PUBLISHED' then 'RESOLUTION_PUBLISHED'::"elections"."matter_stage"
      end) STORED,
	"held_on" date NOT NULL,
	"body" text NOT NULL,
	"minutes_ref" text NOT NULL,
	"votes_for" integer,
	"votes_against" integer,
	"votes_abstain" integer,
	CONSTRAINT "matter_stages_matter_stage_unique" UNIQUE("matter_id","stage"),
	CONSTRAINT "matter_stages_votes_check" CHECK (("elections"."matter_stages"."votes_for" is null) = ("elections"."matter_stages"."votes_against" is null) and ("elections"."matter_stages"."votes_for" is null) = ("elections"."matter_stages"."votes_abstain" is null)
        and "elections"."matter_stages"."votes_for" >= 0 and "elections"."matter_stages"."votes_against" >= 0 and "elections"."matter_stages"."votes_abstain" >= 0)
);
--> statement-breakpoint
CREATE TABLE "elections"."matters" (
	"id" text PRIMARY KEY NOT NULL,
	"community_id" text NOT NULL,
	"residents_committee_id" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elections"."meetings" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" "elections"."meeting_kind" NOT NULL,
	"organisation_id" text NOT NULL,
	"residents_committee_id" text NOT NULL,
	"held_on" date NOT NULL,
	"title" text NOT NULL,
	"attendees" integer NOT NULL,
	CONSTRAINT "meetings_attendees_check" CHECK ("elections"."meetings"."attendees" >= 0)
);
--> statement-breakpoint
CREATE TABLE "elections"."motions" (
	"id" text PRIMARY KEY NOT NULL,
	"meeting_id" text NOT NULL,
	"title" text NOT NULL,
	"votes_for" integer NOT NULL,
	"votes_against" integer NOT NULL,
	"votes_abstain" integer NOT NULL,
	"carried" boolean NOT NULL,
	CONSTRAINT "motions_votes_check" CHECK ("elections"."motions"."votes_for" >= 0 and "elections"."motions"."votes_against" >= 0 and "elections"."motions"."votes_abstain" >= 0)
);
--> statement-breakpoint
CREATE TABLE "elections"."voter_registrations" (
	"id" text PRIMARY KEY NOT NULL,
	"election_id" text NOT NULL,
	"person_id" text NOT NULL,
	"hukou_basis" "elections"."hukou" NOT NULL,
	"registered_on" date NOT NULL,
	CONSTRAINT "voter_registrations_election_person_unique" UNIQUE("election_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "elections"."candidacies" ADD CONSTRAINT "candidacies_election_id_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "elections"."elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elections"."matter_stages" ADD CONSTRAINT "matter_stages_matter_id_matters_id_fk" FOREIGN KEY ("matter_id") REFERENCES "elections"."matters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elections"."matter_stages" ADD CONSTRAINT "matter_stages_previous_stage_fk" FOREIGN KEY ("matter_id","previous_stage") REFERENCES "elections"."matter_stages"("matter_id","stage") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elections"."motions" ADD CONSTRAINT "motions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "elections"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elections"."voter_registrations" ADD CONSTRAINT "voter_registrations_election_id_elections_id_fk" FOREIGN KEY ("election_id") REFERENCES "elections"."elections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "candidacies_person_idx" ON "elections"."candidacies" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "elections_committee_idx" ON "elections"."elections" USING btree ("residents_committee_id","sort_key");--> statement-breakpoint
CREATE INDEX "elections_community_idx" ON "elections"."elections" USING btree ("community_id","sort_key");--> statement-breakpoint
CREATE INDEX "elections_subdistrict_idx" ON "elections"."elections" USING btree ("subdistrict_id","sort_key");--> statement-breakpoint
CREATE INDEX "elections_held_on_idx" ON "elections"."elections" USING btree ("held_on");--> statement-breakpoint
CREATE INDEX "matters_community_idx" ON "elections"."matters" USING btree ("community_id","id");--> statement-breakpoint
CREATE INDEX "matters_committee_idx" ON "elections"."matters" USING btree ("residents_committee_id");--> statement-breakpoint
CREATE INDEX "meetings_committee_idx" ON "elections"."meetings" USING btree ("residents_committee_id","held_on");--> statement-breakpoint
CREATE INDEX "motions_meeting_idx" ON "elections"."motions" USING btree ("meeting_id","id");--> statement-breakpoint
CREATE INDEX "voter_registrations_election_idx" ON "elections"."voter_registrations" USING btree ("election_id","id");--> statement-breakpoint
CREATE INDEX "voter_registrations_person_idx" ON "elections"."voter_registrations" USING btree ("person_id");