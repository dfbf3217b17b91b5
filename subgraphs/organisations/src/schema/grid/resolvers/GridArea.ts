import type { GridAreaResolvers } from '../../../generated/graphql.ts';

export const GridArea: GridAreaResolvers = {
  community: async (gridArea, _args, { loaders }) => {
    const community = await loaders.communityById.load(gridArea.communityId);
    if (!community) throw new Error(`grid area ${gridArea.id} has no community`);
    return community;
  },
  director: (gridArea, _args, { loaders }) => loaders.directorByGridArea.load(gridArea.id),
  buildings: (gridArea, _args, { loaders }) => loaders.buildingsByGridArea.load(gridArea.id),
};
