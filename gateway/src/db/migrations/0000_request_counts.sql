-- IF NOT EXISTS: the migrator creates this schema first, to hold its own __migrations table.
CREATE SCHEMA IF NOT EXISTS "gateway";
--> statement-breakpoint
CREATE TABLE "gateway"."request_counts" (
	"caller" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"hits" integer NOT NULL,
	CONSTRAINT "request_counts_caller_window_start_pk" PRIMARY KEY("caller","window_start")
);
