import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgSchema, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { writeTables } from '@gongzhi/kit';

/** Everything this slice owns lives in the `people` Postgres schema; no other slice reads it. */
export const peopleSchema = pgSchema('people');

/** The idempotency keys and audit log every mutation of the slice writes, as kit declares them for every slice. */
export const { auditLog, idempotencyKeys } = writeTables(peopleSchema);

export const gender = peopleSchema.enum('gender', ['FEMALE', 'MALE']);
export const hukou = peopleSchema.enum('hukou', ['LOCAL', 'NON_LOCAL']);
export const education = peopleSchema.enum('education', [
  'PRIMARY',
  'JUNIOR_SECONDARY',
  'SENIOR_SECONDARY',
  'VOCATIONAL',
  'ASSOCIATE',
  'BACHELOR',
  'MASTER',
  'DOCTORATE',
]);

/** The organisations slice's seat roles, copied here so a membership says what it is without a join. */
export const postRole = peopleSchema.enum('post_role', [
  'PARTY_SECRETARY',
  'DEPUTY_PARTY_SECRETARY',
  'PARTY_COMMITTEE_MEMBER',
  'COMMITTEE_DIRECTOR',
  'DEPUTY_DIRECTOR',
  'COMMITTEE_MEMBER',
  'WORKSTATION_HEAD',
  'AREA_DIRECTOR',
  'BUILDING_HEAD',
  'LEGAL_ADVISER',
  'COUNSELLOR',
  'ANTI_DRUG_SOCIAL_WORKER',
]);

export const payGrade = peopleSchema.enum('pay_grade', ['GRADE_1', 'GRADE_2', 'GRADE_3', 'GRADE_4', 'GRADE_5', 'GRADE_6']);
export const recruitmentChannel = peopleSchema.enum('recruitment_channel', ['PUBLIC_EXAM', 'TRANSFER', 'ELECTED_CADRE', 'CONTRACT']);
export const evaluationRating = peopleSchema.enum('evaluation_rating', ['EXCELLENT', 'COMPETENT', 'BASICALLY_COMPETENT', 'INCOMPETENT']);
export const deputyBody = peopleSchema.enum('deputy_body', ['NPC', 'CPPCC']);
export const deputyLevel = peopleSchema.enum('deputy_level', ['DISTRICT', 'CITY']);

const isoDate = (name: string) => date(name, { mode: 'string' });

/**
 * Residents. `communityId` is the organisations slice's community id (a federation key, not a foreign
 * key: the slices never share tables). `idNumber`, `phone`, `address` and `birthDate` are personal data.
 */
export const persons = peopleSchema.table(
  'persons',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    gender: gender('gender').notNull(),
    birthYear: integer('birth_year').notNull(),
    hukou: hukou('hukou').notNull(),
    communityId: text('community_id').notNull(),
    education: education('education').notNull(),
    idNumber: text('id_number').notNull(),
    phone: text('phone').notNull(),
    address: text('address').notNull(),
    birthDate: isoDate('birth_date').notNull(),
    /** Bumped by every update: a writer holding an older version is refused (no lost updates). */
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('persons_id_number_idx').on(t.idNumber),
    index('persons_community_idx').on(t.communityId, t.id),
    index('persons_community_hukou_idx').on(t.communityId, t.hukou, t.id),
    // Every substring of up to three characters of a name (people.name_parts, created by the migration):
    // Chinese names are two to four characters and searched by one or two, too short for trigrams.
    index('persons_name_parts_idx').using('gin', sql`people.name_parts(${t.name})`),
  ],
);

/**
 * Official resident counts of a community for a year, under the sub-district it belonged to that year.
 * Only the two parts are stored; `total` and `nonLocalShare` are derived when read.
 */
export const populationCounts = peopleSchema.table(
  'population_counts',
  {
    communityId: text('community_id').notNull(),
    year: integer('year').notNull(),
    subdistrictId: text('subdistrict_id').notNull(),
    localHukou: integer('local_hukou').notNull(),
    nonLocalHukou: integer('non_local_hukou').notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.year] }), index('population_counts_subdistrict_idx').on(t.subdistrictId, t.year)],
);

/**
 * A person holding a post (the organisations slice's seat) for an inclusive period; `validTo` null while
 * held. A post has at most one open membership, and ended periods of one post never overlap.
 */
export const memberships = peopleSchema.table(
  'memberships',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id),
    postId: text('post_id').notNull(),
    organisationId: text('organisation_id').notNull(),
    role: postRole('role').notNull(),
    validFrom: isoDate('valid_from').notNull(),
    validTo: isoDate('valid_to'),
    /** Why the membership ended (set with `validTo`). */
    endReason: text('end_reason'),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('memberships_open_post_idx')
      .on(t.postId)
      .where(sql`${t.validTo} is null`),
    check('memberships_period_check', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
    index('memberships_person_idx').on(t.personId, t.validFrom),
    index('memberships_post_idx').on(t.postId, t.validFrom),
    index('memberships_organisation_idx').on(t.organisationId, t.validFrom),
  ],
);

/** Full-time community workers (社区专职工作者). */
export const workers = peopleSchema.table(
  'workers',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id),
    communityId: text('community_id').notNull(),
    postId: text('post_id'),
    grade: payGrade('grade').notNull(),
    payBand: integer('pay_band').notNull(),
    recruitmentChannel: recruitmentChannel('recruitment_channel').notNull(),
    recruitedYear: integer('recruited_year').notNull(),
    hiredOn: isoDate('hired_on').notNull(),
    leftOn: isoDate('left_on'),
  },
  (t) => [
    uniqueIndex('workers_person_idx').on(t.personId),
    check('workers_period_check', sql`${t.leftOn} is null or ${t.leftOn} >= ${t.hiredOn}`),
    index('workers_community_idx').on(t.communityId, t.id),
    index('workers_recruited_idx').on(t.recruitedYear, t.id),
  ],
);

export const trainings = peopleSchema.table(
  'trainings',
  {
    id: text('id').primaryKey(),
    workerId: text('worker_id')
      .notNull()
      .references(() => workers.id),
    title: text('title').notNull(),
    provider: text('provider').notNull(),
    completedOn: isoDate('completed_on').notNull(),
    hours: integer('hours').notNull(),
  },
  (t) => [index('trainings_worker_idx').on(t.workerId, t.completedOn), check('trainings_hours_check', sql`${t.hours} > 0`)],
);

/** One annual evaluation per worker and year. */
export const evaluations = peopleSchema.table(
  'evaluations',
  {
    id: text('id').primaryKey(),
    workerId: text('worker_id')
      .notNull()
      .references(() => workers.id),
    year: integer('year').notNull(),
    rating: evaluationRating('rating').notNull(),
    score: integer('score').notNull(),
  },
  (t) => [
    uniqueIndex('evaluations_worker_year_idx').on(t.workerId, t.year),
    check('evaluations_score_check', sql`${t.score} between 0 and 100`),
  ],
);

export const volunteers = peopleSchema.table(
  'volunteers',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id),
    communityId: text('community_id').notNull(),
    registeredOn: isoDate('registered_on').notNull(),
    serviceHours: integer('service_hours').notNull(),
    skills: text('skills').array().notNull(),
  },
  (t) => [uniqueIndex('volunteers_person_idx').on(t.personId), index('volunteers_community_idx').on(t.communityId, t.id)],
);

/** Deputies (人大代表 / 政协委员) and the community station where they receive residents. */
export const deputies = peopleSchema.table(
  'deputies',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => persons.id),
    body: deputyBody('body').notNull(),
    level: deputyLevel('level').notNull(),
    termStart: integer('term_start').notNull(),
    termEnd: integer('term_end').notNull(),
    receptionCommunityId: text('reception_community_id').notNull(),
    receptionDays: integer('reception_days').array().notNull(),
  },
  (t) => [index('deputies_person_idx').on(t.personId), index('deputies_reception_community_idx').on(t.receptionCommunityId, t.id)],
);

export type PersonRow = typeof persons.$inferSelect;
export type PopulationCountRow = typeof populationCounts.$inferSelect;
export type MembershipRow = typeof memberships.$inferSelect;
export type WorkerRow = typeof workers.$inferSelect;
export type TrainingRow = typeof trainings.$inferSelect;
export type EvaluationRow = typeof evaluations.$inferSelect;
export type VolunteerRow = typeof volunteers.$inferSelect;
export type DeputyRow = typeof deputies.$inferSelect;
