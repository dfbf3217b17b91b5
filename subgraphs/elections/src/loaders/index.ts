import { anyOf, groupedConnections, groupedLoader, keyedLoader, perArgs } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { and, between, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.ts';
import {
  candidacies,
  elections,
  matterStages,
  matters,
  meetings,
  motions,
  voterRegistrations,
  type ElectionRow,
  type MatterStageRow,
  type MeetingRow,
} from '../db/schema.ts';

/** `held_on` within calendar year `year` (a range, so the index on the date serves it). */
export function inYear(column: PgColumn, year: number): SQL {
  return between(column, `${year}-01-01`, `${year}-12-31`);
}

/** Matters whose furthest stage (the last of their stage rows: enums order by declaration) is `stage`. */
export function reachedStage(stage: MatterStageRow['stage']): SQL {
  return sql`(select max(${matterStages.stage}) from ${matterStages} where ${matterStages.matterId} = ${matters.id}) = ${stage}`;
}

/** Counted elections of one area in one year: the sums a weighted turnout is made of. */
export interface TurnoutRow {
  area: string;
  year: number;
  elections: number;
  registered: number;
  participated: number;
}

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
 * Every per-item lookup of this subgraph, batched: one statement per loader per tick, however many
 * parents ask. Built per request so nothing is cached across callers.
 */
export function createLoaders({ db }: Database<typeof schema>) {
  const electionById = keyedLoader((ids) => db.select().from(elections).where(anyOf(elections.id, ids)), (row) => row.id);

  /**
   * Per area and year, over the elections with a count: how many, registrations (counted, never stored)
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
      .where(and(areaColumn ? anyOf(areaColumn, areaIds) : undefined, isNotNull(elections.participated)))
      .groupBy(...(areaColumn ? [areaColumn, year] : [year]));
    return rows.map((row) => ({
      area: row.area,
      year: Number(row.year),
      elections: Number(row.elections),
      registered: Number(row.registered),
      participated: Number(row.participated),
    }));
  };

  return {
    electionById,
    /** Newest first; fills `electionById` with what it reads. */
    electionsByCommittee: groupedLoader(
      async (ids) => {
        const rows = await db.select().from(elections).where(anyOf(elections.residentsCommitteeId, ids)).orderBy(elections.sortKey);
        for (const row of rows) electionById.prime(row.id, row);
        return rows;
      },
      (row) => row.residentsCommitteeId,
    ),
    /** Registered voters per election: the count of its registrations (zero when it has none). */
    registeredByElection: keyedLoader(
      (ids) =>
        db
          .select({ electionId: voterRegistrations.electionId, n: sql<number>`count(*)::int` })
          .from(voterRegistrations)
          .where(anyOf(voterRegistrations.electionId, ids))
          .groupBy(voterRegistrations.electionId),
      (row) => row.electionId,
    ),
    registrationsOfElection: groupedConnections({
      db,
      table: voterRegistrations,
      parentColumn: voterRegistrations.electionId,
      orderColumn: voterRegistrations.id,
    }),
    /** In ballot order. */
    candidaciesByElection: groupedLoader(
      (ids) => db.select().from(candidacies).where(anyOf(candidacies.electionId, ids)).orderBy(candidacies.position),
      (row) => row.electionId,
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
          .where(and(anyOf(elections.residentsCommitteeId, ids), eq(elections.reportStatus, 'CERTIFIED'), eq(candidacies.outcome, 'ELECTED')))
          .orderBy(elections.heldOn, elections.id, candidacies.position),
      (row) => row.committeeId,
    ),
    turnoutByCommunity: groupedLoader((ids) => turnoutRows(elections.communityId, ids), (row) => row.area),
    turnoutBySubdistrict: groupedLoader((ids) => turnoutRows(elections.subdistrictId, ids), (row) => row.area),
    /** The district holds every election, whatever its id (there is one district). */
    turnoutOfDistrict: groupedLoader(
      async (ids) => {
        const rows = await turnoutRows(null, ids);
        return ids.flatMap((area) => rows.map((row) => ({ ...row, area })));
      },
      (row) => row.area,
    ),
    matterById: keyedLoader((ids) => db.select().from(matters).where(anyOf(matters.id, ids)), (row) => row.id),
    /** In stage order: the last one is the matter's current stage. */
    stagesByMatter: groupedLoader(
      (ids) => db.select().from(matterStages).where(anyOf(matterStages.matterId, ids)).orderBy(matterStages.stage),
      (row) => row.matterId,
    ),
    mattersOfCommunity: groupedConnections({
      db,
      table: matters,
      parentColumn: matters.communityId,
      orderColumn: matters.id,
      filter: (args: { stage?: MatterStageRow['stage'] | null; first?: number | null; after?: string | null }) =>
        args.stage ? reachedStage(args.stage) : undefined,
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
    motionsByMeeting: groupedLoader(
      (ids) => db.select().from(motions).where(anyOf(motions.meetingId, ids)).orderBy(motions.id),
      (row) => row.meetingId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
