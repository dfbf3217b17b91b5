import type { PopulationCountResolvers } from '../../../generated/graphql.ts';

/** Only the two parts are stored: the total and the share are derived here. */
export const PopulationCount: PopulationCountResolvers = {
  total: ({ localHukou, nonLocalHukou }) => localHukou + nonLocalHukou,
  nonLocalShare: ({ localHukou, nonLocalHukou }) => {
    const total = localHukou + nonLocalHukou;
    return total === 0 ? null : nonLocalHukou / total;
  },
};
