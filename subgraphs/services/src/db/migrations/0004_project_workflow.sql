-- Writes of micro-projects, events and evaluations: a version on every row an update changes (lost updates
-- are refused against it), a reason on rejections, attendance left empty until an event has happened,
-- and evaluations written only by the callers that may carry them out.
ALTER TABLE "services"."micro_projects" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
ALTER TABLE "services"."micro_project_steps" ADD COLUMN "reason" text;
--> statement-breakpoint
-- Null until recorded: an event created ahead of its day has no attendance yet (0 would count as "nobody came").
ALTER TABLE "services"."events" ALTER COLUMN "attendance" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "services"."events" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
-- Reading stays as 0001_evaluation_rows has it; writing is narrower: a partner writes only the evaluations
-- it carries out, staff and admins any (the API checks their scope), analysts and the public none.
ALTER POLICY "caller_rows" ON "services"."evaluations" WITH CHECK (
  CASE current_setting('gongzhi.role', true)
    WHEN 'system' THEN true
    WHEN 'staff' THEN true
    WHEN 'admin' THEN true
    WHEN 'partner' THEN evaluator_organisation_id = current_setting('gongzhi.organisation', true)
    ELSE false
  END
);
