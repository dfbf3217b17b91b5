import type { QueryResolvers } from '../../../generated/graphql.ts';

export const Query: QueryResolvers = {
  gridArea: (_parent, { id }, { loaders }) => loaders.gridAreaById.load(id),
};
