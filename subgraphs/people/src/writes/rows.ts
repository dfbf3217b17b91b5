import { withClaims, type Db } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import type { Context } from '../context.ts';
import type * as schema from '../db/schema.ts';
import { evaluations, memberships, persons, populationCounts, trainings, workers } from '../db/schema.ts';

export type Tx = Db<typeof schema>;

/**
 * Communities this slice knows: those it holds official counts of. The organisations slice owns the
 * communities and this slice cannot read them, but every community of the district is counted.
 */
export async function isCountedCommunity(tx: Tx, communityId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: populationCounts.communityId })
    .from(populationCounts)
    .where(eq(populationCounts.communityId, communityId))
    .limit(1);
  return row !== undefined;
}

/**
 * Rows as they stand after a mutation committed, read as the caller in a transaction of their own (not
 * from the request's loaders, which may hold what an earlier field of the same operation read).
 */
export function committed({ database, caller }: Context) {
  const read = <T>(run: (tx: Tx) => Promise<T[]>) => withClaims(database.db, caller, run).then((rows) => rows[0] ?? null);
  return {
    person: (id: string) => read((tx) => tx.select().from(persons).where(eq(persons.id, id))),
    membership: (id: string) => read((tx) => tx.select().from(memberships).where(eq(memberships.id, id))),
    worker: (id: string) => read((tx) => tx.select().from(workers).where(eq(workers.id, id))),
    training: (id: string) => read((tx) => tx.select().from(trainings).where(eq(trainings.id, id))),
    evaluation: (id: string) => read((tx) => tx.select().from(evaluations).where(eq(evaluations.id, id))),
  };
}
