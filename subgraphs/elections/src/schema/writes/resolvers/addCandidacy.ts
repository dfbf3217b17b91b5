import { randomUUID } from 'node:crypto';
import { type FieldProblem, InputError, lockRow, problem, runMutation, violatedConstraint, withClaims } from '@gongzhi/kit';
import { and, eq, sql } from 'drizzle-orm';
import { candidacies, elections, voterRegistrations } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { requireId, checkIdempotencyKey, sliceSchema } from './checks.ts';

const standingAlready = problem(['personId'], 'CONFLICT', 'this person stands in this election already');

export const addCandidacy: NonNullable<MutationResolvers['addCandidacy']> = async (_parent, { input }, { database, caller }) => {
  const problems: FieldProblem[] = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  requireId(problems, 'electionId', input.electionId);
  requireId(problems, 'personId', input.personId);
  if (problems.length > 0) return { candidacy: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    {
      schema: sliceSchema,
      operation: 'addCandidacy',
      caller,
      idempotencyKey: input.idempotencyKey,
      explain: (error) => (violatedConstraint(error) === 'candidacies_election_person_unique' ? [standingAlready] : null),
    },
    async ({ tx, audit }) => {
      // Exclusive lock: candidacies join the ballot one at a time, each at the next position.
      const election = await lockRow(tx, elections, input.electionId, ['electionId'], 'no election has this id');
      if (election.reportStatus !== 'PRE_ELECTION') {
        throw new InputError([problem(['electionId'], 'ILLEGAL_TRANSITION', 'the ballot is closed: the election has been counted')]);
      }
      const [registered] = await tx
        .select({ id: voterRegistrations.id })
        .from(voterRegistrations)
        .where(and(eq(voterRegistrations.electionId, election.id), eq(voterRegistrations.personId, input.personId)));
      if (!registered) throw new InputError([problem(['personId'], 'INVALID', 'a candidate must be registered to vote in this election')]);
      const [ballot] = await tx
        .select({
          standing: sql<string | null>`max(case when ${candidacies.personId} = ${input.personId} then ${candidacies.id} end)`,
          last: sql<number>`coalesce(max(${candidacies.position}), 0)::int`,
        })
        .from(candidacies)
        .where(eq(candidacies.electionId, election.id));
      if (ballot!.standing) throw new InputError([standingAlready]);
      const [row] = await tx
        .insert(candidacies)
        .values({
          id: `cand-${randomUUID()}`,
          electionId: election.id,
          personId: input.personId,
          position: Number(ballot!.last) + 1,
          incumbent: input.incumbent,
          outcome: 'PENDING',
        })
        .returning();
      await audit({ entityType: 'Candidacy', entityId: row!.id, operation: 'addCandidacy', before: null, after: row });
      return row!.id;
    },
  );
  if (!outcome.ok) return { candidacy: null, replayed: false, errors: outcome.problems };
  const [candidacy] = await withClaims(database.db, caller, (tx) => tx.select().from(candidacies).where(eq(candidacies.id, outcome.value)));
  return { candidacy: candidacy ?? null, replayed: outcome.replayed, errors: [] };
};
