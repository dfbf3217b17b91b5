import type { CommunityResolvers } from '../../../generated/graphql.ts';

export const Community: CommunityResolvers = {
  organisations: (community, args, { loaders }) => loaders.organisationsOfCommunity(community.id, args),
};
