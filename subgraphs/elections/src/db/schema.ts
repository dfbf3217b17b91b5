import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, integer, pgSchema, text, unique } from 'drizzle-orm/pg-core';
import { writeTables } from '@gongzhi/kit';

/**
 * Everything this slice owns lives in the `elections` Postgres schema; no other slice reads it.
 * Committees, communities, sub-districts and organisations belong to the organisations slice and persons
 * to the people slice: their ids are stored here as plain keys, never as foreign keys across slices.
 */
export const electionsSchema = pgSchema('elections');

/** The idempotency keys and audit log every mutation of the slice writes, as kit declares them for every slice. */
export const { auditLog, idempotencyKeys } = writeTables(electionsSchema);

export const electionType = electionsSchema.enum('election_type', ['GENERAL', 'BY_ELECTION']);
export const reportStatus = electionsSchema.enum('report_status', ['PRE_ELECTION', 'UNOFFICIAL', 'CERTIFIED']);
export const hukou = electionsSchema.enum('hukou', ['LOCAL', 'NON_LOCAL']);
export const candidacyOutcome = electionsSchema.enum('candidacy_outcome', ['PENDING', 'ELECTED', 'NOT_ELECTED']);
/** Declared in the order of 四议两公开, so `max(stage)` is the furthest stage a matter has reached. */
export const matterStage = electionsSchema.enum('matter_stage', [
  'PROPOSED',
  'DISCUSSED',
  'REVIEWED',
  'RESOLVED',
  'RESOLUTION_PUBLISHED',
  'RESULT_PUBLISHED',
]);
export const meetingKind = electionsSchema.enum('meeting_kind', ['RESIDENTS_COUNCIL', 'SUPERVISION_COMMITTEE']);

const isoDate = (name: string) => date(name, { mode: 'string' });

export const elections = electionsSchema.table(
  'elections',
  {
    id: text('id').primaryKey(),
    residentsCommitteeId: text('residents_committee_id').notNull(),
    /** Where it was held, as recorded then (sub-districts change; the record does not). */
    communityId: text('community_id').notNull(),
    subdistrictId: text('subdistrict_id').notNull(),
    type: electionType('type').notNull(),
    differential: boolean('differential').notNull(),
    seats: integer('seats').notNull(),
    announcedOn: isoDate('announced_on').notNull(),
    heldOn: isoDate('held_on').notNull(),
    reportStatus: reportStatus('report_status').notNull(),
    certifiedOn: isoDate('certified_on'),
    /** The count: all three null before it. `registered` is never stored (count of registrations). */
    ballotsCast: integer('ballots_cast'),
    ballotsRejected: integer('ballots_rejected'),
    participated: integer('participated'),
    /** Bumped by every update: an update names the version it read (no lost updates). */
    version: integer('version').notNull().default(1),
    /**
     * Unique key that sorts newest first (days before 9999-12-31 of `held_on`, zero-padded, then the id):
     * keyset pagination of "newest first" lists orders by it ascending and carries it in the cursor.
     */
    sortKey: text('sort_key')
      .notNull()
      .generatedAlwaysAs(sql`lpad(('9999-12-31'::date - "held_on")::text, 7, '0') || '/' || "id"`),
  },
  (t) => [
    unique('elections_sort_key_unique').on(t.sortKey),
    /** One election per committee and day: a second one is a duplicate entry, not a new vote. */
    unique('elections_committee_held_on_unique').on(t.residentsCommitteeId, t.heldOn),
    index('elections_committee_idx').on(t.residentsCommitteeId, t.sortKey),
    index('elections_community_idx').on(t.communityId, t.sortKey),
    index('elections_subdistrict_idx').on(t.subdistrictId, t.sortKey),
    index('elections_held_on_idx').on(t.heldOn),
    check('elections_seats_check', sql`${t.seats} > 0`),
    check('elections_version_check', sql`${t.version} >= 1`),
    check('elections_dates_check', sql`${t.announcedOn} <= ${t.heldOn} and (${t.certifiedOn} is null or ${t.certifiedOn} >= ${t.heldOn})`),
    check('elections_certified_check', sql`(${t.reportStatus} = 'CERTIFIED') = (${t.certifiedOn} is not null)`),
    check(
      'elections_count_check',
      sql`(${t.reportStatus} = 'PRE_ELECTION') = (${t.participated} is null)
        and (${t.participated} is null) = (${t.ballotsCast} is null)
        and (${t.participated} is null) = (${t.ballotsRejected} is null)
        and ${t.ballotsRejected} between 0 and ${t.ballotsCast}
        and ${t.ballotsCast} between 0 and ${t.participated}`,
    ),
  ],
);

/** A resident registered to vote in one election; once per election and person. */
export const voterRegistrations = electionsSchema.table(
  'voter_registrations',
  {
    id: text('id').primaryKey(),
    electionId: text('election_id')
      .notNull()
      .references(() => elections.id),
    personId: text('person_id').notNull(),
    hukouBasis: hukou('hukou_basis').notNull(),
    registeredOn: isoDate('registered_on').notNull(),
  },
  (t) => [
    unique('voter_registrations_election_person_unique').on(t.electionId, t.personId),
    index('voter_registrations_election_idx').on(t.electionId, t.id),
    index('voter_registrations_person_idx').on(t.personId),
  ],
);

export const candidacies = electionsSchema.table(
  'candidacies',
  {
    id: text('id').primaryKey(),
    electionId: text('election_id')
      .notNull()
      .references(() => elections.id),
    personId: text('person_id').notNull(),
    /** Ballot order, from 1. */
    position: integer('position').notNull(),
    incumbent: boolean('incumbent').notNull(),
    outcome: candidacyOutcome('outcome').notNull(),
    votes: integer('votes'),
    /** For an elected member: the day the seat was vacated before the end of the term. */
    servedTo: isoDate('served_to'),
    /** Bumped when the count records its votes and outcome. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    unique('candidacies_election_position_unique').on(t.electionId, t.position),
    unique('candidacies_election_person_unique').on(t.electionId, t.personId),
    index('candidacies_person_idx').on(t.personId),
    check('candidacies_position_check', sql`${t.position} >= 1`),
    check('candidacies_version_check', sql`${t.version} >= 1`),
    check('candidacies_votes_check', sql`(${t.outcome} = 'PENDING') = (${t.votes} is null) and ${t.votes} >= 0`),
    check('candidacies_served_to_check', sql`${t.servedTo} is null or ${t.outcome} = 'ELECTED'`),
  ],
);

/** A major community matter under 四议两公开. Its current stage is derived from its stage rows. */
export const matters = electionsSchema.table(
  'matters',
  {
    id: text('id').primaryKey(),
    communityId: text('community_id').notNull(),
    residentsCommitteeId: text('residents_committee_id').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    /** Bumped by every stage taken: advancing names the version it read, so two clerks cannot both take the next step. */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('matters_community_idx').on(t.communityId, t.id),
    index('matters_committee_idx').on(t.residentsCommitteeId),
    check('matters_version_check', sql`${t.version} >= 1`),
  ],
);

/**
 * One step of a matter, at most once per stage. `previous_stage` is derived from `stage` and must exist
 * for the same matter (a foreign key), so the database itself refuses a skipped stage.
 */
export const matterStages = electionsSchema.table(
  'matter_stages',
  {
    id: text('id').primaryKey(),
    matterId: text('matter_id')
      .notNull()
      .references(() => matters.id),
    stage: matterStage('stage').notNull(),
    previousStage: matterStage('previous_stage').generatedAlwaysAs(
      sql`case "stage"
        when 'DISCUSSED' then 'PROPOSED'::"elections"."matter_stage"
        when 'REVIEWED' then 'DISCUSSED'::"elections"."matter_stage"
        when 'RESOLVED' then 'REVIEWED'::"elections"."matter_stage"
        when 'RESOLUTION_PUBLISHED' then 'RESOLVED'::"elections"."matter_stage"
        when 'RESULT_PUBLISHED' then 'RESOLUTION_PUBLISHED'::"elections"."matter_stage"
      end`,
    ),
    heldOn: isoDate('held_on').notNull(),
    body: text('body').notNull(),
    minutesRef: text('minutes_ref').notNull(),
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    votesAbstain: integer('votes_abstain'),
  },
  (t) => [
    unique('matter_stages_matter_stage_unique').on(t.matterId, t.stage),
    foreignKey({
      name: 'matter_stages_previous_stage_fk',
      columns: [t.matterId, t.previousStage],
      foreignColumns: [t.matterId, t.stage],
    }),
    check(
      'matter_stages_votes_check',
      sql`(${t.votesFor} is null) = (${t.votesAgainst} is null) and (${t.votesFor} is null) = (${t.votesAbstain} is null)
        and ${t.votesFor} >= 0 and ${t.votesAgainst} >= 0 and ${t.votesAbstain} >= 0`,
    ),
  ],
);

/** A meeting of a committee's residents' council or supervision committee (an organisation of that slice). */
export const meetings = electionsSchema.table(
  'meetings',
  {
    id: text('id').primaryKey(),
    kind: meetingKind('kind').notNull(),
    organisationId: text('organisation_id').notNull(),
    residentsCommitteeId: text('residents_committee_id').notNull(),
    heldOn: isoDate('held_on').notNull(),
    title: text('title').notNull(),
    attendees: integer('attendees').notNull(),
  },
  (t) => [
    index('meetings_committee_idx').on(t.residentsCommitteeId, t.heldOn),
    check('meetings_attendees_check', sql`${t.attendees} >= 0`),
  ],
);

export const motions = electionsSchema.table(
  'motions',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id),
    title: text('title').notNull(),
    votesFor: integer('votes_for').notNull(),
    votesAgainst: integer('votes_against').notNull(),
    votesAbstain: integer('votes_abstain').notNull(),
    carried: boolean('carried').notNull(),
  },
  (t) => [
    index('motions_meeting_idx').on(t.meetingId, t.id),
    check('motions_votes_check', sql`${t.votesFor} >= 0 and ${t.votesAgainst} >= 0 and ${t.votesAbstain} >= 0`),
  ],
);

export type ElectionRow = typeof elections.$inferSelect;
export type VoterRegistrationRow = typeof voterRegistrations.$inferSelect;
export type CandidacyRow = typeof candidacies.$inferSelect;
export type MatterRow = typeof matters.$inferSelect;
export type MatterStageRow = typeof matterStages.$inferSelect;
export type MeetingRow = typeof meetings.$inferSelect;
export type MotionRow = typeof motions.$inferSelect;
