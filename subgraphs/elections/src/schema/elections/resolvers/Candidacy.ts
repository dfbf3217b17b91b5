import { seesExactFigures } from '@gongzhi/kit';
import type { CandidacyParent } from '../../../mappers.ts';
import type { CandidacyResolvers } from '../../../generated/graphql.ts';
import type { Context } from '../../../context.ts';
import { countsOpenTo } from '../../common/disclosure.ts';

/** Whether the caller may see the count of the candidacy's election (asked only of the public and partners). */
async function countOpen(candidacy: CandidacyParent, { caller, loaders }: Context): Promise<boolean> {
  if (seesExactFigures(caller)) return true;
  const election = await loaders.electionById.load(candidacy.electionId);
  return election !== null && countsOpenTo(caller, election);
}

export const Candidacy: CandidacyResolvers = {
  election: async (candidacy, _args, { loaders }) => {
    const election = await loaders.electionById.load(candidacy.electionId);
    if (!election) throw new Error(`candidacy ${candidacy.id} has no election`);
    return election;
  },
  person: (candidacy) => ({ id: candidacy.personId }),
  /** Null for the public and partners until the election is certified. */
  outcome: async (candidacy, _args, context) => ((await countOpen(candidacy, context)) ? candidacy.outcome : null),
  votes: async (candidacy, _args, context) => ((await countOpen(candidacy, context)) ? candidacy.votes : null),
};
