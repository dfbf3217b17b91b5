import type { PostResolvers } from '../../../generated/graphql.ts';

export const Post: PostResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.postById.load(id),
  organisation: async (post, _args, { loaders }) => {
    const organisation = await loaders.organisationById.load(post.organisationId);
    if (!organisation) throw new Error(`post ${post.id} has no organisation`);
    return organisation;
  },
  gridArea: (post, _args, { loaders }) => (post.gridAreaId ? loaders.gridAreaById.load(post.gridAreaId) : null),
  building: (post, _args, { loaders }) => (post.buildingId ? loaders.buildingById.load(post.buildingId) : null),
};
