import type { CandidacyResolvers } from '../../../generated/graphql.ts';

export const Candidacy: CandidacyResolvers = {
  election: async (candidacy, _args, { loaders }) => {
    const election = await loaders.electionById.load(candidacy.electionId);
    if (!election) throw new Error(`candidacy ${candidacy.id} has no election`);
    return election;
  },
  person: (candidacy) => ({ id: candidacy.personId }),
};
