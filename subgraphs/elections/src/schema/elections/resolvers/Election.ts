import { withSmallCellsSuppressed } from '@gongzhi/kit';
import type { ElectionResolvers, ElectionResult } from '../../../generated/graphql.ts';
import type { ElectionRow } from '../../../db/schema.ts';
import type { Context } from '../../../context.ts';
import { rate } from '../../common/arguments.ts';
import { countsOpenTo, resultCells } from '../../common/disclosure.ts';

/** Registered voters of an election: the number of its registrations, counted in one batched statement. */
export async function registeredFor(electionId: string, { loaders }: Context): Promise<number> {
  return (await loaders.registeredByElection.load(electionId))?.n ?? 0;
}

/** The count of an election as the caller may see it: null before the count, and before certification for the public. */
async function resultFor(election: ElectionRow, context: Context): Promise<ElectionResult | null> {
  const { participated, ballotsCast, ballotsRejected } = election;
  if (participated === null || ballotsCast === null || ballotsRejected === null) return null;
  if (!countsOpenTo(context.caller, election)) return null;
  const registered = await registeredFor(election.id, context);
  const exact = {
    registered,
    participated,
    ballotsCast,
    ballotsRejected,
    ballotsValid: ballotsCast - ballotsRejected,
    turnout: rate(participated, registered),
  };
  return withSmallCellsSuppressed(context.caller, exact, resultCells);
}

export const Election: ElectionResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.electionById.load(id),
  residentsCommittee: (election) => ({ id: election.residentsCommitteeId }),
  community: (election) => ({ id: election.communityId }),
  subdistrict: (election) => ({ id: election.subdistrictId }),
  year: (election) => Number(election.heldOn.slice(0, 4)),
  /** The candidacies ask their election whether their counts are open: it is this one, already at hand. */
  candidacies: (election, _args, { loaders }) => {
    loaders.electionById.prime(election.id, election);
    return loaders.candidaciesByElection.load(election.id);
  },
  registrations: (election, args, { loaders }) => loaders.registrationsOfElection(election.id, args),
  result: (election, _args, context) => resultFor(election, context),
  /** As `result.turnout`: withheld with the result, and with either count it is built on. */
  turnout: async (election, _args, context) => (await resultFor(election, context))?.turnout ?? null,
};
