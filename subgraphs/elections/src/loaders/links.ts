import { anyOf, groupedConnections, groupedLoader, keyedLoader, once, perArgs } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.ts';
import {
  candidacies,
  elections,
  matterStages,
  matters,
  meetings,
  voterRegistrations,
  type ElectionRow,
  type MatterStageRow,
  type MeetingRow,
} from '../db/schema.ts';
import { countedElections, inYear, type ElectionLoaders, type Visibility } from './elections.ts';
import { reachedStage, visibleMatters } from './matters.ts';

/** Counted elections of one area in one year: the sums a weighted turnout is made of. */
export interface TurnoutRow {
  area: string;
  year: number;
  elections: number;
  registered: number;
  participated: number;
}

/** Totals of an area's elections in one year; `area` is '' for the whole district. */
export interface TotalsRow {
  area: string;
  elections: number;
  seats: number;
  membersElected: number;
  registered: number;
  participated: number;
}

export type TotalsFilter = { year: number; type: ElectionRow['type'] | null };

/** A seat won: an ELECTED candidacy of a CERTIFIED election, with what `members(on)` needs of the election. */
export interface SeatRow {
  committeeId: string;
  electionId: string;
  type: ElectionRow['type'];
  heldOn: string;
  personId: string;
  position: number;
  servedTo: string | null;
}

export type MeetingFilter = { kind?: MeetingRow['kind'] | null; year?: number | null };

/**
 * The loaders of what this slice adds to other slices' types: a committee's elections, seats and meetings,
 * a person's candidacies, an area's turnout, totals and matters, the district's deliberation. The
 * elections read here fill `electionById`.
 */
export function linkLoaders(
  { db }: Database<typeof schema>,
  visibility: Visibility,
  { electionById }: Pick<ElectionLoaders, 'electionById'>,
) {
  /**
   * Per area and year, over the elections with a count (certified ones only for the public): how many, registrations (counted, never stored)
   * and participants. One statement for every area asked for; `area` is '' for the whole district.
   */
  const turnoutRows = async (areaColumn: PgColumn | null, areaIds: readonly string[]): Promise<TurnoutRow[]> => {
    const year = sql<number>`extract(year from ${elections.heldOn})::int`;
    const area = areaColumn ? sql<string>`${areaColumn}` : sql<string>`''`;
    // Each election's registrations, counted through the (election, person) index: only the elections asked about.
    const registrations = db
      .select({ n: sql<number>`count(*)::int`.as('n') })
      .from(voterRegistrations)
      .where(eq(voterRegistrations.electionId, elections.id))
      .as('registrations');
    const rows = await db
      .select({
        area,
        year,
        elections: sql<number>`count(*)::int`,
        registered: sql<number>`sum(${registrations.n})::int`,
        participated: sql<number>`sum(${elections.participated})::int`,
      })
      .from(elections)
      .crossJoinLateral(registrations)
      .where(and(areaColumn ? anyOf(areaColumn, areaIds) : undefined, isNotNull(elections.participated), countedElections(visibility)))
      .groupBy(...(areaColumn ? [areaColumn, year] : [year]));
    return rows.map((row) => ({
      area: row.area,
      year: Number(row.year),
      elections: Number(row.elections),
      registered: Number(row.registered),
      participated: Number(row.participated),
    }));
  };

  /**
   * Per area, over the elections held in the year (of the type; certified ones only for the public): how many, their seats, their winners and
   * their participation. One aggregate statement for every area asked for; each election's registrations
   * and winners are counted through their election's index in lateral subqueries, never fetched.
   */
  const totalsRows = async (
    areaColumn: PgColumn | null,
    areaIds: readonly string[],
    { year, type }: TotalsFilter,
  ): Promise<TotalsRow[]> => {
    const registrations = db
      .select({ registered: sql<number>`count(*)`.as('registered') })
      .from(voterRegistrations)
      .where(eq(voterRegistrations.electionId, elections.id))
      .as('registrations');
    const winners = db
      .select({ elected: sql<number>`count(*)`.as('elected') })
      .from(candidacies)
      .where(and(eq(candidacies.electionId, elections.id), eq(candidacies.outcome, 'ELECTED')))
      .as('winners');
    const query = db
      .select({
        area: areaColumn ? sql<string>`${areaColumn}` : sql<string>`''`,
        elections: sql<number>`count(*)::int`,
        seats: sql<number>`coalesce(sum(${elections.seats}), 0)::int`,
        membersElected: sql<number>`coalesce(sum(${winners.elected}), 0)::int`,
        // As in turnout: the registrations of counted elections only, the ones `participated` covers.
        registered: sql<number>`coalesce(sum(${registrations.registered}) filter (where ${elections.participated} is not null), 0)::int`,
        participated: sql<number>`coalesce(sum(${elections.participated}), 0)::int`,
      })
      .from(elections)
      .crossJoinLateral(registrations)
      .crossJoinLateral(winners)
      .where(
        and(
          areaColumn ? anyOf(areaColumn, areaIds) : undefined,
          inYear(elections.heldOn, year),
          type ? eq(elections.type, type) : undefined,
          countedElections(visibility),
        ),
      );
    // The district is one row even without elections; an area without any has no row.
    return areaColumn ? query.groupBy(areaColumn) : query;
  };

  /** 四议两公开 over every matter, in one statement: each matter's stages counted in a lateral subquery. */
  const deliberation = async () => {
    const stages = db
      .select({
        furthest: sql<MatterStageRow['stage']>`max(${matterStages.stage})`.as('furthest'),
        taken: sql<number>`count(*)`.as('taken'),
      })
      .from(matterStages)
      .where(eq(matterStages.matterId, matters.id))
      .as('stages');
    const resolutionPublished: MatterStageRow['stage'] = 'RESOLUTION_PUBLISHED';
    const [row] = await db
      .select({
        communities: sql<number>`count(distinct ${matters.communityId})::int`,
        matters: sql<number>`count(*)::int`,
        // Stages are an enum declared in order, so "this stage or a later one" is a comparison.
        published: sql<number>`(count(*) filter (where ${stages.furthest} >= ${resolutionPublished}))::int`,
        stagesRecorded: sql<number>`coalesce(sum(${stages.taken}), 0)::int`,
      })
      .from(matters)
      .crossJoinLateral(stages);
    return row!;
  };

  return {
    /** Newest first; fills `electionById` with what it reads. */
    electionsByCommittee: groupedLoader(
      async (ids) => {
        const rows = await db.select().from(elections).where(anyOf(elections.residentsCommitteeId, ids)).orderBy(elections.sortKey);
        for (const row of rows) electionById.prime(row.id, row);
        return rows;
      },
      (row) => row.residentsCommitteeId,
    ),
    /** Newest election first; the elections come with them and fill `electionById`. */
    candidaciesByPerson: groupedLoader(
      async (ids) => {
        const rows = await db
          .select({ candidacy: candidacies, election: elections })
          .from(candidacies)
          .innerJoin(elections, eq(candidacies.electionId, elections.id))
          .where(anyOf(candidacies.personId, ids))
          .orderBy(elections.sortKey, candidacies.position);
        for (const { election } of rows) electionById.prime(election.id, election);
        return rows.map((row) => row.candidacy);
      },
      (row) => row.personId,
    ),
    /** Every seat won in a certified election of the committee, oldest election first, in ballot order. */
    seatsByCommittee: groupedLoader(
      (ids): Promise<SeatRow[]> =>
        db
          .select({
            committeeId: elections.residentsCommitteeId,
            electionId: elections.id,
            type: elections.type,
            heldOn: elections.heldOn,
            personId: candidacies.personId,
            position: candidacies.position,
            servedTo: candidacies.servedTo,
          })
          .from(candidacies)
          .innerJoin(elections, eq(candidacies.electionId, elections.id))
          .where(
            and(anyOf(elections.residentsCommitteeId, ids), eq(elections.reportStatus, 'CERTIFIED'), eq(candidacies.outcome, 'ELECTED')),
          )
          .orderBy(elections.heldOn, elections.id, candidacies.position),
      (row) => row.committeeId,
    ),
    turnoutByCommunity: groupedLoader(
      (ids) => turnoutRows(elections.communityId, ids),
      (row) => row.area,
    ),
    turnoutBySubdistrict: groupedLoader(
      (ids) => turnoutRows(elections.subdistrictId, ids),
      (row) => row.area,
    ),
    /** The district holds every election, whatever its id (there is one district). */
    turnoutOfDistrict: groupedLoader(
      async (ids) => {
        const rows = await turnoutRows(null, ids);
        return ids.flatMap((area) => rows.map((row) => ({ ...row, area })));
      },
      (row) => row.area,
    ),
    /** Election totals per sub-district the elections were recorded under, one statement per filter. */
    electionTotalsBySubdistrict: perArgs((filter: TotalsFilter) =>
      keyedLoader(
        (ids) => totalsRows(elections.subdistrictId, ids, filter),
        (row) => row.area,
      ),
    ),
    /** The district holds every election: one statement per filter, however many fields ask. */
    electionTotalsOfDistrict: perArgs((filter: TotalsFilter) => once(async () => (await totalsRows(null, [], filter))[0]!)),
    deliberation: once(deliberation),
    mattersOfCommunity: groupedConnections({
      db,
      table: matters,
      parentColumn: matters.communityId,
      orderColumn: matters.id,
      filter: (args: { stage?: MatterStageRow['stage'] | null; first?: number | null; after?: string | null }) =>
        and(args.stage ? reachedStage(args.stage) : undefined, visibleMatters(visibility)),
    }),
    /** Newest first, filtered in SQL; one loader per filter. */
    meetingsOfCommittee: perArgs(({ kind, year }: MeetingFilter) =>
      groupedLoader(
        (ids) =>
          db
            .select()
            .from(meetings)
            .where(
              and(
                anyOf(meetings.residentsCommitteeId, ids),
                kind ? eq(meetings.kind, kind) : undefined,
                year == null ? undefined : inYear(meetings.heldOn, year),
              ),
            )
            .orderBy(desc(meetings.heldOn), desc(meetings.id)),
        (row) => row.residentsCommitteeId,
      ),
    ),
  };
}
