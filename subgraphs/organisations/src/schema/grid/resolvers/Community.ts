import type { CommunityResolvers } from '../../../generated/graphql.ts';

export const Community: CommunityResolvers = {
  gridAreas: (community, _args, { loaders }) => loaders.gridAreasByCommunity.load(community.id),
};
