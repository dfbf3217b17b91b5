import { type FieldProblem, InputError, lockRow, nextVersion, problem, runMutation } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import { elections } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { requireId, sliceSchema } from './checks.ts';

export const certifyElection: NonNullable<MutationResolvers['certifyElection']> = async (
  _parent,
  { input },
  { database, caller, loaders },
) => {
  const problems: FieldProblem[] = [];
  requireId(problems, 'id', input.id);
  if (problems.length > 0) return { election: null, errors: problems };

  const outcome = await runMutation(database.db, { schema: sliceSchema, operation: 'certifyElection', caller }, async ({ tx, audit }) => {
    const election = await lockRow(tx, elections, input.id, ['id'], 'no election has this id');
    const version = nextVersion(election, input.expectedVersion);
    if (election.reportStatus === 'PRE_ELECTION')
      throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', 'the count is not recorded yet')]);
    if (election.reportStatus === 'CERTIFIED')
      throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', `certified already on ${election.certifiedOn}`)]);
    if (input.on < election.heldOn) throw new InputError([problem(['on'], 'INVALID', `before the election day (${election.heldOn})`)]);
    const [after] = await tx
      .update(elections)
      .set({ reportStatus: 'CERTIFIED', certifiedOn: input.on, version })
      .where(eq(elections.id, election.id))
      .returning();
    await audit({ entityType: 'Election', entityId: election.id, operation: 'certifyElection', before: election, after });
    return election.id;
  });
  if (!outcome.ok) return { election: null, errors: outcome.problems };
  return { election: await loaders.electionById.load(outcome.value), errors: [] };
};
