import { anyOf, groupedConnections, groupedLoader, keyedLoader, seesExactFigures } from '@gongzhi/kit';
import type { Caller, Database } from '@gongzhi/kit';
import { between, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type * as schema from '../db/schema.ts';
import { candidacies, elections, voterRegistrations } from '../db/schema.ts';

/** `held_on` within calendar year `year` (a range, so the index on the date serves it). */
export function inYear(column: PgColumn, year: number): SQL {
  return between(column, `${year}-01-01`, `${year}-12-31`);
}

/**
 * What a caller may see of this slice's rows: `all` for analysts, staff and admins; `published` for the
 * public and partners, who see a matter once its resolution is published and an election's counts once
 * it is certified.
 */
export type Visibility = 'all' | 'published';

export const visibilityOf = (caller: Caller): Visibility => (seesExactFigures(caller) ? 'all' : 'published');

/** The elections whose counts `visibility` shows: every one, or the certified ones. */
export function countedElections(visibility: Visibility): SQL | undefined {
  return visibility === 'all' ? undefined : eq(elections.reportStatus, 'CERTIFIED');
}

/** The loaders of elections, their registrations and candidacies. */
export function electionLoaders({ db }: Database<typeof schema>) {
  const electionById = keyedLoader(
    (ids) => db.select().from(elections).where(anyOf(elections.id, ids)),
    (row) => row.id,
  );

  return {
    electionById,
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
  };
}

export type ElectionLoaders = ReturnType<typeof electionLoaders>;
