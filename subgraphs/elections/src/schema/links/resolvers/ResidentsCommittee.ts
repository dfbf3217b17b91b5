import { checkYear, today } from '@gongzhi/kit';
import type { ResidentsCommitteeResolvers } from '../../../generated/graphql.ts';
import { membersOn } from './members.ts';

export const ResidentsCommittee: ResidentsCommitteeResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  elections: (committee, _args, { loaders }) => loaders.electionsByCommittee.load(committee.id),
  members: async (committee, { on }, { loaders }) =>
    membersOn(await loaders.seatsByCommittee.load(committee.id), on ?? today()).map((id) => ({ id })),
  meetings: (committee, { kind, year }, { loaders }) => {
    checkYear(year);
    return loaders.meetingsOfCommittee({ kind: kind ?? null, year: year ?? null }).load(committee.id);
  },
};
