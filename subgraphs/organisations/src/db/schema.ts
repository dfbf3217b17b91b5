import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgSchema, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { writeTables } from '@gongzhi/kit';

/** Everything this slice owns lives in the `organisations` Postgres schema; no other slice reads it. */
export const organisationsSchema = pgSchema('organisations');

/** The idempotency keys and audit log every mutation of the slice writes, as kit declares them for every slice. */
export const { auditLog, idempotencyKeys } = writeTables(organisationsSchema);

export const organisationKind = organisationsSchema.enum('organisation_kind', [
  'PARTY_COMMITTEE',
  'WORKSTATION',
  'RESIDENTS_COMMITTEE',
  'RESIDENTS_COUNCIL',
  'SUPERVISION_COMMITTEE',
  'SOCIAL_ORGANISATION',
  'CHARITY_FUND',
  'STOCK_COMPANY',
  'OWNERS_COMMITTEE',
  'PROPERTY_MANAGER',
  'RESIDENT_UNIT',
  'SERVICE_CENTRE',
  'GOVERNMENT_DEPARTMENT',
]);

export const postRole = organisationsSchema.enum('post_role', [
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

const isoDate = (name: string) => date(name, { mode: 'string' });
/** What an update must state to be applied (`expectedVersion`): a row changed since it was read is refused. */
const rowVersion = () => integer('version').notNull().default(1);

export const districts = organisationsSchema.table('districts', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  city: text('city').notNull(),
  areaKm2: integer('area_km2').notNull(),
  validFrom: isoDate('valid_from').notNull(),
});

export const subdistricts = organisationsSchema.table(
  'subdistricts',
  {
    id: text('id').primaryKey(),
    districtId: text('district_id')
      .notNull()
      .references(() => districts.id),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    validFrom: isoDate('valid_from').notNull(),
    validTo: isoDate('valid_to'),
    /** The sub-district this one was split from (the 2016 split of 6 into 10). */
    splitFromId: text('split_from_id'),
  },
  (t) => [index('subdistricts_split_from_idx').on(t.splitFromId)],
);

export const communities = organisationsSchema.table('communities', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
  validFrom: isoDate('valid_from').notNull(),
  validTo: isoDate('valid_to'),
  website: text('website'),
  version: rowVersion(),
});

/** Which sub-district a community belonged to over time; boundary changes add rows, never rewrite them. */
export const communityPlacements = organisationsSchema.table(
  'community_placements',
  {
    communityId: text('community_id')
      .notNull()
      .references(() => communities.id),
    subdistrictId: text('subdistrict_id')
      .notNull()
      .references(() => subdistricts.id),
    validFrom: isoDate('valid_from').notNull(),
    validTo: isoDate('valid_to'),
  },
  (t) => [
    primaryKey({ columns: [t.communityId, t.validFrom] }),
    index('community_placements_subdistrict_idx').on(t.subdistrictId, t.validFrom),
    uniqueIndex('community_placements_open_key')
      .on(t.communityId)
      .where(sql`"valid_to" IS NULL`),
    check('community_placements_period_check', sql`"valid_to" IS NULL OR "valid_to" >= "valid_from"`),
  ],
);

export const residentsCommittees = organisationsSchema.table(
  'residents_committees',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    communityId: text('community_id')
      .notNull()
      .references(() => communities.id),
    validFrom: isoDate('valid_from').notNull(),
    validTo: isoDate('valid_to'),
    seats: integer('seats').notNull(),
    /** Where the committee posts what it must disclose (居务公开栏); null while none is recorded. */
    disclosureBoard: text('disclosure_board'),
  },
  (t) => [index('residents_committees_community_idx').on(t.communityId)],
);

export const organisations = organisationsSchema.table(
  'organisations',
  {
    id: text('id').primaryKey(),
    kind: organisationKind('kind').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    creditCode: text('credit_code').unique(),
    communityId: text('community_id').references(() => communities.id),
    residentsCommitteeId: text('residents_committee_id').references(() => residentsCommittees.id),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    website: text('website'),
    foundedOn: isoDate('founded_on'),
    version: rowVersion(),
  },
  (t) => [
    index('organisations_community_idx').on(t.communityId, t.id),
    index('organisations_committee_idx').on(t.residentsCommitteeId),
    index('organisations_kind_idx').on(t.kind, t.id),
    uniqueIndex('organisations_community_leadership_key')
      .on(t.communityId, t.kind)
      .where(sql`"kind" IN ('PARTY_COMMITTEE', 'WORKSTATION')`),
    uniqueIndex('organisations_committee_body_key')
      .on(t.residentsCommitteeId, t.kind)
      .where(sql`"kind" IN ('RESIDENTS_COMMITTEE', 'RESIDENTS_COUNCIL', 'SUPERVISION_COMMITTEE')`),
    check('organisations_credit_code_check', sql`"credit_code" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`),
  ],
);

export const gridAreas = organisationsSchema.table(
  'grid_areas',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    communityId: text('community_id')
      .notNull()
      .references(() => communities.id),
  },
  (t) => [index('grid_areas_community_idx').on(t.communityId)],
);

export const buildings = organisationsSchema.table(
  'buildings',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    households: integer('households').notNull(),
    gridAreaId: text('grid_area_id')
      .notNull()
      .references(() => gridAreas.id),
  },
  (t) => [index('buildings_grid_area_idx').on(t.gridAreaId, t.id)],
);

/** A seat that exists whether or not anyone holds it; holders are memberships in the people slice. */
export const posts = organisationsSchema.table(
  'posts',
  {
    id: text('id').primaryKey(),
    organisationId: text('organisation_id')
      .notNull()
      .references(() => organisations.id),
    role: postRole('role').notNull(),
    label: text('label').notNull(),
    gridAreaId: text('grid_area_id').references(() => gridAreas.id),
    buildingId: text('building_id').references(() => buildings.id),
    validFrom: isoDate('valid_from').notNull(),
    validTo: isoDate('valid_to'),
    version: rowVersion(),
  },
  (t) => [
    index('posts_organisation_idx').on(t.organisationId, t.id),
    index('posts_grid_area_idx').on(t.gridAreaId),
    index('posts_building_idx').on(t.buildingId),
    uniqueIndex('posts_open_area_director_key')
      .on(t.gridAreaId)
      .where(sql`"role" = 'AREA_DIRECTOR' AND "valid_to" IS NULL`),
    uniqueIndex('posts_open_building_head_key')
      .on(t.buildingId)
      .where(sql`"role" = 'BUILDING_HEAD' AND "valid_to" IS NULL`),
    check('posts_period_check', sql`"valid_to" IS NULL OR "valid_to" >= "valid_from"`),
  ],
);

export const residentsConventions = organisationsSchema.table(
  'residents_conventions',
  {
    id: text('id').primaryKey(),
    residentsCommitteeId: text('residents_committee_id')
      .notNull()
      .references(() => residentsCommittees.id),
    version: integer('version').notNull(),
    adoptedOn: isoDate('adopted_on').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
  },
  (t) => [index('residents_conventions_committee_idx').on(t.residentsCommitteeId, t.version)],
);

export type DistrictRow = typeof districts.$inferSelect;
export type SubdistrictRow = typeof subdistricts.$inferSelect;
export type CommunityRow = typeof communities.$inferSelect;
export type PlacementRow = typeof communityPlacements.$inferSelect;
export type ResidentsCommitteeRow = typeof residentsCommittees.$inferSelect;
export type OrganisationRow = typeof organisations.$inferSelect;
export type GridAreaRow = typeof gridAreas.$inferSelect;
export type BuildingRow = typeof buildings.$inferSelect;
export type PostRow = typeof posts.$inferSelect;
export type ConventionRow = typeof residentsConventions.$inferSelect;
