import type { OrganisationResolvers } from '../../../generated/graphql.ts';

export const Organisation: OrganisationResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.organisationById.load(id),
  community: (organisation, _args, { loaders }) => (organisation.communityId ? loaders.communityById.load(organisation.communityId) : null),
  residentsCommittee: (organisation, _args, { loaders }) =>
    organisation.residentsCommitteeId ? loaders.committeeById.load(organisation.residentsCommitteeId) : null,
  contact: ({ phone, email, address, website }) => ({ phone, email, address, website }),
  posts: async (organisation, { includeClosed }, { loaders }) => {
    const rows = await loaders.postsByOrganisation.load(organisation.id);
    return includeClosed ? rows : rows.filter((post) => post.validTo === null);
  },
};
