import type { OrganisationRow } from '../../../db/schema.ts';
import type { ResidentsCommitteeResolvers } from '../../../generated/graphql.ts';
import type { Context } from '../../../context.ts';

async function committeeOrganisation(committeeId: string, kind: OrganisationRow['kind'], { loaders }: Context) {
  return (await loaders.organisationsByCommittee.load(committeeId)).find((row) => row.kind === kind) ?? null;
}

export const ResidentsCommittee: ResidentsCommitteeResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.committeeById.load(id),
  community: async (committee, _args, { loaders }) => {
    const community = await loaders.communityById.load(committee.communityId);
    if (!community) throw new Error(`committee ${committee.id} has no community`);
    return community;
  },
  organisation: (committee, _args, context) => committeeOrganisation(committee.id, 'RESIDENTS_COMMITTEE', context),
  residentsCouncil: (committee, _args, context) => committeeOrganisation(committee.id, 'RESIDENTS_COUNCIL', context),
  supervisionCommittee: (committee, _args, context) => committeeOrganisation(committee.id, 'SUPERVISION_COMMITTEE', context),
  conventions: (committee, _args, { loaders }) => loaders.conventionsByCommittee.load(committee.id),
};
