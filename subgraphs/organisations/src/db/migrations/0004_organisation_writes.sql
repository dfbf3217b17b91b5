-- Rows that mutations update carry a version: an update states the version it read, so none is lost.
ALTER TABLE "organisations"."organisations" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "organisations"."posts" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "organisations"."communities" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
-- The API names one party committee and one workstation per community, and one committee organisation,
-- residents' council and supervision committee per residents' committee: concurrent creates cannot add a second.
CREATE UNIQUE INDEX "organisations_community_leadership_key" ON "organisations"."organisations" ("community_id", "kind")
  WHERE "kind" IN ('PARTY_COMMITTEE', 'WORKSTATION');
--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_committee_body_key" ON "organisations"."organisations" ("residents_committee_id", "kind")
  WHERE "kind" IN ('RESIDENTS_COMMITTEE', 'RESIDENTS_COUNCIL', 'SUPERVISION_COMMITTEE');
--> statement-breakpoint
ALTER TABLE "organisations"."organisations" ADD CONSTRAINT "organisations_credit_code_check"
  CHECK ("credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$');
--> statement-breakpoint
-- A grid area has one open area director's seat, a building one open building head's seat.
CREATE UNIQUE INDEX "posts_open_area_director_key" ON "organisations"."posts" ("grid_area_id")
  WHERE "role" = 'AREA_DIRECTOR' AND "valid_to" IS NULL;
--> statement-breakpoint
CREATE UNIQUE INDEX "posts_open_building_head_key" ON "organisations"."posts" ("building_id")
  WHERE "role" = 'BUILDING_HEAD' AND "valid_to" IS NULL;
--> statement-breakpoint
ALTER TABLE "organisations"."posts" ADD CONSTRAINT "posts_period_check" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from");
--> statement-breakpoint
-- Placement history: one open placement per community, and no period that ends before it starts.
CREATE UNIQUE INDEX "community_placements_open_key" ON "organisations"."community_placements" ("community_id")
  WHERE "valid_to" IS NULL;
--> statement-breakpoint
ALTER TABLE "organisations"."community_placements" ADD CONSTRAINT "community_placements_period_check"
  CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from");
