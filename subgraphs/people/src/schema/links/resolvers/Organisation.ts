import { inForce, today } from '@gongzhi/kit';
import type { OrganisationResolvers } from '../../../generated/graphql.ts';

export const Organisation: OrganisationResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  members: async (organisation, { activeOn }, { loaders }) => {
    const date = activeOn ?? today();
    return (await loaders.membershipsByOrganisation.load(organisation.id)).filter((membership) => inForce(membership, date));
  },
};
