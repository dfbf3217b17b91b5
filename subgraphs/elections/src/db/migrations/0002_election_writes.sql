-- What the slice's mutations need besides idempotency keys and the audit log (0001_writes).
-- Every row a mutation updates carries a version: an update names the version it read (no lost updates).
-- Rows already present start at version 1.
ALTER TABLE "elections"."elections" ADD COLUMN "version" integer NOT NULL DEFAULT 1;
--> statement-breakpoint
ALTER TABLE "elections"."candidacies" ADD COLUMN "version" integer NOT NULL DEFAULT 1;
--> statement-breakpoint
ALTER TABLE "elections"."matters" ADD COLUMN "version" integer NOT NULL DEFAULT 1;
--> statement-breakpoint
-- A committee holds at most one election on a given day: a second one is a duplicate entry, not a new vote.
ALTER TABLE "elections"."elections" ADD CONSTRAINT "elections_committee_held_on_unique" UNIQUE ("residents_committee_id", "held_on");
--> statement-breakpoint
ALTER TABLE "elections"."elections" ADD CONSTRAINT "elections_version_check" CHECK ("version" >= 1);
--> statement-breakpoint
ALTER TABLE "elections"."candidacies" ADD CONSTRAINT "candidacies_version_check" CHECK ("version" >= 1);
--> statement-breakpoint
ALTER TABLE "elections"."matters" ADD CONSTRAINT "matters_version_check" CHECK ("version" >= 1);
