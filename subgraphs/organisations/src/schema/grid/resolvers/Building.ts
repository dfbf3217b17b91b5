import type { BuildingResolvers } from '../../../generated/graphql.ts';

export const Building: BuildingResolvers = {
  gridArea: async (building, _args, { loaders }) => {
    const gridArea = await loaders.gridAreaById.load(building.gridAreaId);
    if (!gridArea) throw new Error(`building ${building.id} has no grid area`);
    return gridArea;
  },
  head: (building, _args, { loaders }) => loaders.headByBuilding.load(building.id),
};
