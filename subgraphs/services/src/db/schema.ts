import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  integer,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { writeTables } from '@gongzhi/kit';

/**
 * Everything this slice owns lives in the `services` Postgres schema; no other slice reads it.
 * Communities, sub-districts and organisations belong to the organisations slice: their ids are stored
 * here as plain keys, never as foreign keys across slices.
 */
export const servicesSchema = pgSchema('services');

/** The idempotency keys and audit log every mutation of the slice writes, as kit declares them for every slice. */
export const { auditLog, idempotencyKeys } = writeTables(servicesSchema);

export const microProjectCategory = servicesSchema.enum('micro_project_category', ['FACILITY', 'SERVICE', 'TRAINING', 'ACTIVITY']);
/**
 * Declared in lifecycle order: PROPOSED → APPROVED → IN_PROGRESS → COMPLETED → EVALUATED, or
 * PROPOSED → REJECTED. A project's steps form one chain (see `micro_project_steps`), so the greatest of
 * them (enums order by declaration) is its latest step.
 */
export const microProjectStatus = servicesSchema.enum('micro_project_status', [
  'PROPOSED',
  'APPROVED',
  'IN_PROGRESS',
  'COMPLETED',
  'EVALUATED',
  'REJECTED',
]);
export const serviceRequestCategory = servicesSchema.enum('service_request_category', [
  'ENVIRONMENT',
  'PUBLIC_SAFETY',
  'NEIGHBOUR_DISPUTE',
  'FACILITY_REPAIR',
  'PROPERTY_MANAGEMENT',
  'SOCIAL_ASSISTANCE',
  'OTHER',
]);
export const serviceRequestChannel = servicesSchema.enum('service_request_channel', [
  'COMMUNITY_WEBSITE',
  'HOTLINE',
  'IN_PERSON',
  'WECHAT',
  'GRID_PATROL',
]);
/**
 * SUBMITTED → ACKNOWLEDGED → IN_PROGRESS → RESOLVED → CLOSED (acknowledged requests may be resolved
 * directly; resolved or closed ones reopened to ACKNOWLEDGED). A request's current status is its last step.
 */
export const serviceRequestStatus = servicesSchema.enum('service_request_status', [
  'SUBMITTED',
  'ACKNOWLEDGED',
  'IN_PROGRESS',
  'RESOLVED',
  'CLOSED',
]);
/** Every step the request workflow allows, as (from, to): the database checks each step against these. */
export const requestTransitions = [
  ['SUBMITTED', 'ACKNOWLEDGED'],
  ['ACKNOWLEDGED', 'IN_PROGRESS'],
  ['ACKNOWLEDGED', 'RESOLVED'],
  ['IN_PROGRESS', 'RESOLVED'],
  ['RESOLVED', 'CLOSED'],
  ['RESOLVED', 'ACKNOWLEDGED'],
  ['CLOSED', 'ACKNOWLEDGED'],
] as const satisfies readonly (readonly [ServiceRequestStatus, ServiceRequestStatus])[];
type ServiceRequestStatus = (typeof serviceRequestStatus.enumValues)[number];
export const serviceKind = servicesSchema.enum('service_kind', ['LEGAL_ADVICE', 'COUNSELLING', 'ANTI_DRUG', 'CULTURE_ROOM']);
export const eventKind = servicesSchema.enum('event_kind', ['NEIGHBOURHOOD', 'TRAINING', 'LAW_LECTURE']);

const isoDate = (name: string) => date(name, { mode: 'string' });
/** UTC instants to the millisecond (what the API's DateTime carries, so nothing is lost on the way out). */
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'string', precision: 3 });
/** Integer fen (1/100 CNY), exact in JavaScript up to 2^53. */
const fen = (name: string) => bigint(name, { mode: 'number' });

/**
 * A unique text key that sorts newest first: milliseconds from the instant to 9999-12-31 (zero-padded),
 * then the id. "Newest first" lists page by it ascending and carry it in the cursor.
 */
const newestFirstKey = (column: string) =>
  sql.raw(`lpad(((extract(epoch from ('9999-12-31T00:00:00Z'::timestamptz - "${column}")) * 1000)::bigint)::text, 15, '0') || '/' || "id"`);

/** A 民生微实事 project. Its status is not stored: it is the latest of its steps. */
export const microProjects = servicesSchema.table(
  'micro_projects',
  {
    id: text('id').primaryKey(),
    communityId: text('community_id').notNull(),
    /** The sub-district the community belonged to when the project was proposed (the record does not move). */
    subdistrictId: text('subdistrict_id').notNull(),
    /** The fund year it is planned in. */
    year: integer('year').notNull(),
    title: text('title').notNull(),
    category: microProjectCategory('category').notNull(),
    proposerOrganisationId: text('proposer_organisation_id').notNull(),
    plannedBudgetFen: fen('planned_budget_fen').notNull(),
    beneficiaries: integer('beneficiaries').notNull(),
    /** Bumped by every change (a lifecycle step is one): updates name the version they read. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('micro_projects_community_idx').on(t.communityId, t.id),
    index('micro_projects_subdistrict_idx').on(t.subdistrictId, t.id),
    index('micro_projects_year_idx').on(t.year, t.id),
    index('micro_projects_category_idx').on(t.category, t.id),
    index('micro_projects_proposer_idx').on(t.proposerOrganisationId),
    check('micro_projects_year_check', sql`${t.year} between 1900 and 2100`),
    check('micro_projects_budget_check', sql`${t.plannedBudgetFen} >= 0`),
    check('micro_projects_beneficiaries_check', sql`${t.beneficiaries} >= 0`),
  ],
);

/**
 * One dated step of a project's lifecycle, at most once per status. `previous_status` is derived from
 * `status` and must exist for the same project (a foreign key), and no status has two successors (a
 * unique key), so the steps form one legal chain starting at PROPOSED: nothing skipped, and never both
 * APPROVED and REJECTED.
 */
export const microProjectSteps = servicesSchema.table(
  'micro_project_steps',
  {
    id: text('id').primaryKey(),
    microProjectId: text('micro_project_id')
      .notNull()
      .references(() => microProjects.id),
    status: microProjectStatus('status').notNull(),
    previousStatus: microProjectStatus('previous_status').generatedAlwaysAs(
      sql`case "status"
        when 'APPROVED' then 'PROPOSED'::"services"."micro_project_status"
        when 'REJECTED' then 'PROPOSED'::"services"."micro_project_status"
        when 'IN_PROGRESS' then 'APPROVED'::"services"."micro_project_status"
        when 'COMPLETED' then 'IN_PROGRESS'::"services"."micro_project_status"
        when 'EVALUATED' then 'COMPLETED'::"services"."micro_project_status"
      end`,
    ),
    on: isoDate('on').notNull(),
    note: text('note').notNull(),
    /** Why a project was rejected (REJECTED steps recorded through the API; null otherwise). */
    reason: text('reason'),
  },
  (t) => [
    unique('micro_project_steps_project_status_unique').on(t.microProjectId, t.status),
    unique('micro_project_steps_project_previous_unique').on(t.microProjectId, t.previousStatus),
    foreignKey({
      name: 'micro_project_steps_previous_status_fk',
      columns: [t.microProjectId, t.previousStatus],
      foreignColumns: [t.microProjectId, t.status],
    }),
  ],
);

/** A resident's request (Open311). Its status, acknowledgement and resolution are read from its steps. */
export const serviceRequests = servicesSchema.table(
  'service_requests',
  {
    id: text('id').primaryKey(),
    communityId: text('community_id').notNull(),
    /** The sub-district the community belonged to when the request was submitted. */
    subdistrictId: text('subdistrict_id').notNull(),
    category: serviceRequestCategory('category').notNull(),
    channel: serviceRequestChannel('channel').notNull(),
    description: text('description').notNull(),
    /** Also the time of its SUBMITTED step, which a foreign key holds equal to this. */
    submittedAt: instant('submitted_at').notNull(),
    /** The calendar year of submission in UTC: what `requestResolution(year)` groups by. */
    submittedYear: integer('submitted_year')
      .notNull()
      .generatedAlwaysAs(sql`extract(year from ("submitted_at" at time zone 'UTC'))::int`),
    /** Personal data of the submitter (never in public answers); the public may leave them out. */
    submitterName: text('submitter_name'),
    submitterPhone: text('submitter_phone'),
    satisfaction: integer('satisfaction'),
    sortKey: text('sort_key').notNull().generatedAlwaysAs(newestFirstKey('submitted_at')),
    /** Bumped by every change (status steps, rating): what `expectedVersion` is checked against. */
    version: integer('version').notNull().default(1),
    /** Hex SHA-256 of the receipt the submitter rates the request with (never the receipt itself); null when none was issued. */
    receiptHash: text('receipt_hash'),
    /** What the submitter said with the rating. */
    satisfactionComment: text('satisfaction_comment'),
  },
  (t) => [
    unique('service_requests_sort_key_unique').on(t.sortKey),
    unique('service_requests_id_submitted_at_unique').on(t.id, t.submittedAt),
    index('service_requests_community_idx').on(t.communityId, t.sortKey),
    index('service_requests_community_year_idx').on(t.communityId, t.submittedYear),
    index('service_requests_subdistrict_year_idx').on(t.subdistrictId, t.submittedYear),
    index('service_requests_year_idx').on(t.submittedYear),
    index('service_requests_submitted_at_idx').on(t.submittedAt),
    check('service_requests_satisfaction_check', sql`${t.satisfaction} between 1 and 5`),
    check('service_requests_version_check', sql`${t.version} >= 1`),
    check('service_requests_receipt_hash_check', sql`${t.receiptHash} ~ '^[0-9a-f]{64}$'`),
    check('service_requests_satisfaction_comment_check', sql`${t.satisfactionComment} is null or ${t.satisfaction} is not null`),
  ],
);

/**
 * A status change of a request, keyed by (request, sequence number): 1 for SUBMITTED, then one more per
 * step, so history reads in workflow order and a status may come back (reopening). Each later step names
 * the status it left: a foreign key holds that equal to the step before's, and a check allows only the
 * workflow's transitions. The SUBMITTED step's time must be the request's `submitted_at`.
 */
export const serviceRequestSteps = servicesSchema.table(
  'service_request_steps',
  {
    serviceRequestId: text('service_request_id')
      .notNull()
      .references(() => serviceRequests.id),
    seq: integer('seq').notNull(),
    status: serviceRequestStatus('status').notNull(),
    /** The status of step `seq - 1`; null for the SUBMITTED step. */
    previousStatus: serviceRequestStatus('previous_status'),
    previousSeq: integer('previous_seq').generatedAlwaysAs(sql`"seq" - 1`),
    at: instant('at').notNull(),
    /** `at` of the SUBMITTED step, null for the others: checked against the request by a foreign key. */
    submittedAt: instant('submitted_at').generatedAlwaysAs(sql`case when "status" = 'SUBMITTED' then "at" end`),
    note: text('note').notNull(),
  },
  (t) => [
    primaryKey({ name: 'service_request_steps_pkey', columns: [t.serviceRequestId, t.seq] }),
    unique('service_request_steps_request_seq_status_unique').on(t.serviceRequestId, t.seq, t.status),
    foreignKey({
      name: 'service_request_steps_previous_step_fk',
      columns: [t.serviceRequestId, t.previousSeq, t.previousStatus],
      foreignColumns: [t.serviceRequestId, t.seq, t.status],
    }),
    foreignKey({
      name: 'service_request_steps_submitted_at_fk',
      columns: [t.serviceRequestId, t.submittedAt],
      foreignColumns: [serviceRequests.id, serviceRequests.submittedAt],
    }),
    check(
      'service_request_steps_transition_check',
      sql`(${t.seq} = 1 and ${t.status} = 'SUBMITTED' and ${t.previousStatus} is null) or (${t.seq} > 1 and (${t.previousStatus}, ${t.status}) in (${sql.raw(
        requestTransitions.map(([from, to]) => `('${from}', '${to}')`).join(', '),
      )}))`,
    ),
    index('service_request_steps_reopen_idx')
      .on(t.serviceRequestId, t.seq)
      .where(sql`${t.status} = 'ACKNOWLEDGED' and ${t.previousStatus} in ('RESOLVED', 'CLOSED')`),
  ],
);

/** Public submissions per origin and fixed window (`SUBMISSION_RATE_WINDOW_SECONDS`), shared by every instance. */
export const submissionWindows = servicesSchema.table(
  'submission_windows',
  {
    origin: text('origin').notNull(),
    windowStart: timestamp('window_start', { withTimezone: true, mode: 'string' }).notNull(),
    submissions: integer('submissions').notNull(),
  },
  (t) => [primaryKey({ columns: [t.origin, t.windowStart] })],
);

/** A standing service of a community (HSDS Service). */
export const services = servicesSchema.table(
  'services',
  {
    id: text('id').primaryKey(),
    communityId: text('community_id').notNull(),
    kind: serviceKind('kind').notNull(),
    name: text('name').notNull(),
    providerOrganisationId: text('provider_organisation_id').notNull(),
    location: text('location').notNull(),
    /** Opening hours, as "DAY HH:MM-HH:MM" entries (none: by appointment). */
    schedule: text('schedule').array().notNull(),
  },
  (t) => [
    index('services_community_idx').on(t.communityId, t.kind),
    index('services_provider_idx').on(t.providerOrganisationId),
    check(
      'services_schedule_check',
      sql`cardinality(${t.schedule}) = 0 or array_to_string(${t.schedule}, '|') ~ '^((MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY [0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9](\\||$))+$'`,
    ),
  ],
);

/** A neighbourhood event, training or 法治大讲堂 lecture. */
export const events = servicesSchema.table(
  'events',
  {
    id: text('id').primaryKey(),
    communityId: text('community_id').notNull(),
    kind: eventKind('kind').notNull(),
    title: text('title').notNull(),
    startsAt: instant('starts_at').notNull(),
    organiserOrganisationId: text('organiser_organisation_id').notNull(),
    /** People who came; null until recorded, which can only happen once the event has started. */
    attendance: integer('attendance'),
    /** Bumped by every change: updates name the version they read. */
    version: integer('version').notNull().default(1),
    sortKey: text('sort_key').notNull().generatedAlwaysAs(newestFirstKey('starts_at')),
  },
  (t) => [
    unique('events_sort_key_unique').on(t.sortKey),
    index('events_community_idx').on(t.communityId, t.sortKey),
    index('events_starts_at_idx').on(t.startsAt),
    index('events_organiser_idx').on(t.organiserOrganisationId),
    check('events_attendance_check', sql`${t.attendance} >= 0`),
  ],
);

/** A third-party evaluation of exactly one micro-project or one standing service. */
export const evaluations = servicesSchema.table(
  'evaluations',
  {
    id: text('id').primaryKey(),
    evaluatorOrganisationId: text('evaluator_organisation_id').notNull(),
    microProjectId: text('micro_project_id').references(() => microProjects.id),
    serviceId: text('service_id').references(() => services.id),
    evaluatedOn: isoDate('evaluated_on').notNull(),
    score: integer('score').notNull(),
    reportRef: text('report_ref').notNull(),
  },
  (t) => [
    unique('evaluations_report_ref_unique').on(t.reportRef),
    index('evaluations_evaluator_idx').on(t.evaluatorOrganisationId, t.evaluatedOn),
    index('evaluations_micro_project_idx').on(t.microProjectId),
    index('evaluations_service_idx').on(t.serviceId),
    check('evaluations_subject_check', sql`num_nonnulls(${t.microProjectId}, ${t.serviceId}) = 1`),
    check('evaluations_score_check', sql`${t.score} between 0 and 100`),
  ],
);

/** An item of the community duties list (职责清单). */
export const dutyItems = servicesSchema.table('duty_items', {
  id: text('id').primaryKey(),
  title: text('title').notNull().unique(),
  department: text('department').notNull(),
  mandate: text('mandate').notNull(),
  devolvable: boolean('devolvable').notNull(),
  fundsFollowTask: boolean('funds_follow_task').notNull(),
});

export type MicroProjectRow = typeof microProjects.$inferSelect;
export type MicroProjectStepRow = typeof microProjectSteps.$inferSelect;
export type ServiceRequestRow = typeof serviceRequests.$inferSelect;
export type ServiceRequestStepRow = typeof serviceRequestSteps.$inferSelect;
export type ServiceRow = typeof services.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type EvaluationRow = typeof evaluations.$inferSelect;
export type DutyItemRow = typeof dutyItems.$inferSelect;
