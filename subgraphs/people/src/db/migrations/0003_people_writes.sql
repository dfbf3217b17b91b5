-- What the slice's mutations need from the tables they write: a version on every row they update (no lost
-- updates), the reason a membership ended, and the rules the database itself keeps whoever writes.
ALTER TABLE "people"."persons" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "people"."memberships" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "people"."memberships" ADD COLUMN "end_reason" text;
--> statement-breakpoint
-- One person per resident ID number: a second registration of the same number is refused.
CREATE UNIQUE INDEX "persons_id_number_idx" ON "people"."persons" USING btree ("id_number");
--> statement-breakpoint
-- A post holds at most one person at a time: at most one open membership per post, even under concurrent
-- appointments (the mutation also keeps ended periods from overlapping a new one).
CREATE UNIQUE INDEX "memberships_open_post_idx" ON "people"."memberships" USING btree ("post_id") WHERE "valid_to" IS NULL;
--> statement-breakpoint
ALTER TABLE "people"."memberships" ADD CONSTRAINT "memberships_period_check" CHECK ("valid_to" IS NULL OR "valid_to" >= "valid_from");
--> statement-breakpoint
ALTER TABLE "people"."workers" ADD CONSTRAINT "workers_period_check" CHECK ("left_on" IS NULL OR "left_on" >= "hired_on");
--> statement-breakpoint
ALTER TABLE "people"."trainings" ADD CONSTRAINT "trainings_hours_check" CHECK ("hours" > 0);
--> statement-breakpoint
ALTER TABLE "people"."evaluations" ADD CONSTRAINT "evaluations_score_check" CHECK ("score" BETWEEN 0 AND 100);
