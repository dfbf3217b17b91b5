import type { ElectionResolvers } from '../../../generated/graphql.ts';
import type { Context } from '../../../context.ts';
import { rate } from '../../common/arguments.ts';

/** Registered voters of an election: the number of its registrations, counted in one batched statement. */
export async function registeredFor(electionId: string, { loaders }: Context): Promise<number> {
  return (await loaders.registeredByElection.load(electionId))?.n ?? 0;
}

export const Election: ElectionResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.electionById.load(id),
  residentsCommittee: (election) => ({ id: election.residentsCommitteeId }),
  community: (election) => ({ id: election.communityId }),
  subdistrict: (election) => ({ id: election.subdistrictId }),
  year: (election) => Number(election.heldOn.slice(0, 4)),
  candidacies: (election, _args, { loaders }) => loaders.candidaciesByElection.load(election.id),
  registrations: (election, args, { loaders }) => loaders.registrationsOfElection(election.id, args),
  result: async (election, _args, context) => {
    const { participated, ballotsCast, ballotsRejected } = election;
    if (participated === null || ballotsCast === null || ballotsRejected === null) return null;
    const registered = await registeredFor(election.id, context);
    return {
      registered,
      participated,
      ballotsCast,
      ballotsRejected,
      ballotsValid: ballotsCast - ballotsRejected,
      turnout: rate(participated, registered),
    };
  },
  turnout: async (election, _args, context) =>
    election.participated === null ? null : rate(election.participated, await registeredFor(election.id, context)),
};
