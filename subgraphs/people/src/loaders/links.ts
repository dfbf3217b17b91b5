import { anyOf, groupedConnections, groupedLoader, inForceOn, keyedLoader, once, perArgs, today } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { and, count, eq, getTableColumns, isNull, ne, or, sql, sum } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { deputies, memberships, persons, populationCounts, volunteers, workers, type MembershipRow, type PersonRow } from '../db/schema.ts';
import type { CommunityParent, PopulationCountParent } from '../mappers.ts';
import { personLoader } from './people.ts';

/** Summed counts of one area for one year. */
export interface AreaCount extends PopulationCountParent {
  areaId: string;
}

/** The district's community workers of one year (the `Workforce` type, read whole by one statement). */
export interface WorkforceRow {
  year: number;
  workers: number;
  recruited: number;
  recruitedByEducation: { education: PersonRow['education']; count: number }[];
}

type Body = 'PARTY_COMMITTEE' | 'WORKSTATION' | 'RESIDENTS_COMMITTEES';
type CommunityBodies = Pick<CommunityParent, 'partyCommittee' | 'workstation' | 'residentsCommittees'>;

/**
 * The loader key of a community's cross-appointments: the organisation ids of its leading bodies, as the
 * `@requires` representation gives them (the slice cannot read them from the organisations tables).
 */
export function crossAppointmentKey(community: CommunityParent): string {
  const bodies: CommunityBodies = {
    partyCommittee: community.partyCommittee ? { id: community.partyCommittee.id } : null,
    workstation: community.workstation ? { id: community.workstation.id } : null,
    residentsCommittees: (community.residentsCommittees ?? []).map((committee) => ({
      organisation: committee.organisation ? { id: committee.organisation.id } : null,
    })),
  };
  return JSON.stringify(bodies);
}

export const workersInPostKey = (communityId: string, year: number) => `${year}:${communityId}`;
function parseWorkersInPostKey(key: string): { communityId: string; year: number } {
  const colon = key.indexOf(':');
  return { year: Number(key.slice(0, colon)), communityId: key.slice(colon + 1) };
}

/** The community's leading bodies as the representation names them: organisation id → body. */
function bodiesOf(community: CommunityBodies): [organisationId: string, body: Body][] {
  const bodies: [string, Body][] = [];
  if (community.partyCommittee?.id) bodies.push([community.partyCommittee.id, 'PARTY_COMMITTEE']);
  if (community.workstation?.id) bodies.push([community.workstation.id, 'WORKSTATION']);
  for (const committee of community.residentsCommittees ?? []) {
    // All committees of a community count as one body.
    if (committee.organisation?.id) bodies.push([committee.organisation.id, 'RESIDENTS_COMMITTEES']);
  }
  return bodies;
}

/**
 * The loaders of what this slice adds to other slices' types: an area's people, workers, volunteers,
 * deputies, population and workforce, a community's cross-appointments, an organisation's members.
 */
export function linkLoaders(database: Database<typeof schema>) {
  const { db, rows } = database;
  const sumsBy = {
    localHukou: sql<number>`${sum(populationCounts.localHukou)}`.mapWith(Number),
    nonLocalHukou: sql<number>`${sum(populationCounts.nonLocalHukou)}`.mapWith(Number),
  };

  return {
    appointeeById: personLoader(database),
    membershipsByOrganisation: groupedLoader(
      (ids) =>
        db
          .select()
          .from(memberships)
          .where(anyOf(memberships.organisationId, ids))
          .orderBy(memberships.postId, memberships.validFrom, memberships.id),
      (row) => row.organisationId,
    ),

    /**
     * 交叉任职 of many communities in one statement: today's memberships in the bodies each community
     * representation names (keyed by `crossAppointmentKey`), kept only for people holding posts in more
     * than one of that community's bodies.
     */
    crossAppointmentMemberships: groupedLoader(
      async (keys): Promise<(MembershipRow & { communityKey: string })[]> => {
        const organisationIds: string[] = [];
        const communityKeys: string[] = [];
        const bodyNames: string[] = [];
        for (const key of keys) {
          for (const [organisationId, body] of bodiesOf(JSON.parse(key) as CommunityBodies)) {
            organisationIds.push(organisationId);
            communityKeys.push(key);
            bodyNames.push(body);
          }
        }
        if (organisationIds.length === 0) return [];
        const bodies = sql`unnest(${sql.param(organisationIds)}::text[], ${sql.param(communityKeys)}::text[], ${sql.param(bodyNames)}::text[])
          as bodies(organisation_id, community_key, body)`;
        const byPerson = sql`partition by bodies.community_key, ${memberships.personId}`;
        const held = db
          .select({
            ...getTableColumns(memberships),
            communityKey: sql<string>`bodies.community_key`.as('community_key'),
            firstBody: sql<string>`min(bodies.body) over (${byPerson})`.as('first_body'),
            lastBody: sql<string>`max(bodies.body) over (${byPerson})`.as('last_body'),
          })
          .from(memberships)
          .innerJoin(bodies, sql`bodies.organisation_id = ${memberships.organisationId}`)
          .where(inForceOn(memberships, today()))
          .as('held');
        return db
          .select({
            id: held.id,
            personId: held.personId,
            postId: held.postId,
            organisationId: held.organisationId,
            role: held.role,
            validFrom: held.validFrom,
            validTo: held.validTo,
            endReason: held.endReason,
            version: held.version,
            communityKey: held.communityKey,
          })
          .from(held)
          .where(ne(held.firstBody, held.lastBody))
          .orderBy(held.personId, held.validFrom, held.id);
      },
      (row) => row.communityKey,
    ),

    workersOfCommunity: groupedConnections({
      db,
      table: workers,
      parentColumn: workers.communityId,
      orderColumn: workers.id,
    }),
    /**
     * Workers of each community in post at any time during a year (hired by its end, not gone before its
     * start), keyed by `workersInPostKey(communityId, year)`: one statement for every community and year asked.
     */
    workersInPostDuring: keyedLoader(
      async (keys): Promise<{ key: string; n: number }[]> => {
        const pairs = keys.map(parseWorkersInPostKey);
        const asked = sql`unnest(${sql.param(pairs.map((pair) => pair.communityId))}::text[], ${sql.param(pairs.map((pair) => pair.year))}::int[])
          as asked(community_id, year)`;
        const askedYear = sql`asked.year`;
        const rows = await db
          .select({ communityId: workers.communityId, year: sql<number>`${askedYear}`.mapWith(Number), n: count() })
          .from(workers)
          .innerJoin(asked, sql`asked.community_id = ${workers.communityId}`)
          .where(
            and(
              sql`${workers.hiredOn} <= make_date(${askedYear}, 12, 31)`,
              or(isNull(workers.leftOn), sql`${workers.leftOn} >= make_date(${askedYear}, 1, 1)`),
            ),
          )
          .groupBy(workers.communityId, askedYear);
        const found = new Map(rows.map((row) => [workersInPostKey(row.communityId, row.year), Number(row.n)]));
        return keys.map((key) => ({ key, n: found.get(key) ?? 0 }));
      },
      (row) => row.key,
    ),

    /**
     * The district's workforce of `year` (null: the latest year any worker was recruited) in one aggregate
     * statement, whatever the number of workers: the asked year, the workers in post on its 31 December, its
     * recruits and their education (in `Education` order: Postgres sorts an enum in declaration order, which
     * is the GraphQL enum's). No row when there is no year to answer for (no worker at all).
     */
    districtWorkforce: perArgs((year: number | null) =>
      once(async (): Promise<WorkforceRow | null> => {
        const asked = year === null ? sql`(select max(${workers.recruitedYear}) from ${workers})` : sql`${year}::int`;
        const [row] = await rows<WorkforceRow>(sql`
          with asked as (select ${asked} as year),
          recruits as (
            select ${persons.education} as education, count(*)::int as count
            from ${workers} join ${persons} on ${persons.id} = ${workers.personId}
            where ${workers.recruitedYear} = (select year from asked)
            group by ${persons.education})
          select asked.year,
            (select count(*)::int from ${workers} where ${workers.hiredOn} <= make_date(asked.year, 12, 31)
              and (${workers.leftOn} is null or ${workers.leftOn} >= make_date(asked.year, 12, 31))) as workers,
            (select count(*)::int from ${workers} where ${workers.recruitedYear} = asked.year) as recruited,
            (select coalesce(json_agg(json_build_object('education', education, 'count', count) order by education), '[]')
              from recruits) as "recruitedByEducation"
          from asked where asked.year is not null`);
        return row ?? null;
      }),
    ),

    residentsOfCommunity: groupedConnections({
      db,
      table: persons,
      parentColumn: persons.communityId,
      orderColumn: persons.id,
      filter: (args: { hukou?: PersonRow['hukou'] | null; first?: number | null; after?: string | null }) =>
        args.hukou ? eq(persons.hukou, args.hukou) : undefined,
    }),

    volunteersOfCommunity: groupedConnections({
      db,
      table: volunteers,
      parentColumn: volunteers.communityId,
      orderColumn: volunteers.id,
    }),
    deputiesByReceptionCommunity: groupedLoader(
      (ids) => db.select().from(deputies).where(anyOf(deputies.receptionCommunityId, ids)).orderBy(deputies.id),
      (row) => row.receptionCommunityId,
    ),

    /** Every year's count of each community (a handful of rows per community). */
    populationByCommunity: groupedLoader(
      (ids) => db.select().from(populationCounts).where(anyOf(populationCounts.communityId, ids)).orderBy(populationCounts.year),
      (row) => row.communityId,
    ),
    /** Exact sums, per year, of the counts recorded under each sub-district. */
    populationBySubdistrict: groupedLoader(
      (ids): Promise<AreaCount[]> =>
        db
          .select({ areaId: populationCounts.subdistrictId, year: populationCounts.year, ...sumsBy })
          .from(populationCounts)
          .where(anyOf(populationCounts.subdistrictId, ids))
          .groupBy(populationCounts.subdistrictId, populationCounts.year),
      (row) => row.areaId,
    ),
    /** Exact sums, per year, over every community (the slice covers one district). */
    districtPopulation: once((): Promise<PopulationCountParent[]> =>
      db
        .select({ year: populationCounts.year, ...sumsBy })
        .from(populationCounts)
        .groupBy(populationCounts.year),
    ),
  };
}
