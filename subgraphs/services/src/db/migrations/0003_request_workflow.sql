-- The service-request workflow: public submissions (with a receipt to rate them by, and a per-origin rate
-- limit), staff steps that may repeat a status (reopening goes back to ACKNOWLEDGED), and row versions.

-- Requests: a version for lost-update checks; the public may leave its name and phone out; only the
-- SHA-256 of the submitter's receipt is kept; the rating may carry a comment.
ALTER TABLE "services"."service_requests" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "services"."service_requests" ALTER COLUMN "submitter_name" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "services"."service_requests" ALTER COLUMN "submitter_phone" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "services"."service_requests" ADD COLUMN "receipt_hash" text;
--> statement-breakpoint
ALTER TABLE "services"."service_requests" ADD COLUMN "satisfaction_comment" text;
--> statement-breakpoint
ALTER TABLE "services"."service_requests" ADD CONSTRAINT "service_requests_version_check" CHECK ("version" >= 1);
--> statement-breakpoint
ALTER TABLE "services"."service_requests" ADD CONSTRAINT "service_requests_receipt_hash_check" CHECK ("receipt_hash" ~ '^[0-9a-f]{64}$');
--> statement-breakpoint
ALTER TABLE "services"."service_requests" ADD CONSTRAINT "service_requests_satisfaction_comment_check"
  CHECK ("satisfaction_comment" IS NULL OR "satisfaction" IS NOT NULL);
--> statement-breakpoint

-- Steps: keyed by (request, sequence number) in workflow order instead of one row per status. Each step
-- after the first names the status it left (`previous_status`, kept from the old generated column): a
-- foreign key holds it equal to the step before's, and a check allows only the workflow's transitions.
ALTER TABLE "services"."service_request_steps" DROP CONSTRAINT "service_request_steps_previous_status_fk";
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" DROP CONSTRAINT "service_request_steps_request_status_unique";
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ALTER COLUMN "previous_status" DROP EXPRESSION;
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD COLUMN "seq" integer;
--> statement-breakpoint
-- Rows already there formed one chain per request: their workflow order is their enum order.
UPDATE "services"."service_request_steps" s SET "seq" = numbered.seq
  FROM (SELECT "id", row_number() OVER (PARTITION BY "service_request_id" ORDER BY "status") AS seq FROM "services"."service_request_steps") numbered
 WHERE numbered."id" = s."id";
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ALTER COLUMN "seq" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" DROP COLUMN "id";
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD CONSTRAINT "service_request_steps_pkey" PRIMARY KEY ("service_request_id", "seq");
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD COLUMN "previous_seq" integer GENERATED ALWAYS AS ("seq" - 1) STORED;
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD CONSTRAINT "service_request_steps_request_seq_status_unique" UNIQUE ("service_request_id", "seq", "status");
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD CONSTRAINT "service_request_steps_previous_step_fk"
  FOREIGN KEY ("service_request_id", "previous_seq", "previous_status")
  REFERENCES "services"."service_request_steps" ("service_request_id", "seq", "status");
--> statement-breakpoint
ALTER TABLE "services"."service_request_steps" ADD CONSTRAINT "service_request_steps_transition_check" CHECK (
  ("seq" = 1 AND "status" = 'SUBMITTED' AND "previous_status" IS NULL)
  OR ("seq" > 1 AND ("previous_status", "status") IN (
    ('SUBMITTED', 'ACKNOWLEDGED'),
    ('ACKNOWLEDGED', 'IN_PROGRESS'),
    ('ACKNOWLEDGED', 'RESOLVED'),
    ('IN_PROGRESS', 'RESOLVED'),
    ('RESOLVED', 'CLOSED'),
    ('RESOLVED', 'ACKNOWLEDGED'),
    ('CLOSED', 'ACKNOWLEDGED')
  ))
);
--> statement-breakpoint
-- Reopenings (back to ACKNOWLEDGED from RESOLVED or CLOSED) are rare: the resolution figures find those
-- after a resolution through this small index.
CREATE INDEX "service_request_steps_reopen_idx" ON "services"."service_request_steps" ("service_request_id", "seq")
  WHERE "status" = 'ACKNOWLEDGED' AND "previous_status" IN ('RESOLVED', 'CLOSED');
--> statement-breakpoint
-- History is append-only for requests.
REVOKE UPDATE, DELETE ON "services"."service_request_steps" FROM gongzhi_app;
--> statement-breakpoint

-- Public submissions counted per origin and fixed window, shared by every instance of the subgraph.
CREATE TABLE "services"."submission_windows" (
  "origin" text NOT NULL,
  "window_start" timestamptz NOT NULL,
  "submissions" integer NOT NULL,
  PRIMARY KEY ("origin", "window_start")
);
