import { checkYear } from '@gongzhi/kit';
import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { countedYear } from '../../population/resolvers/year.ts';
import { workforceAsSeenBy } from '../../workforce/resolvers/workforce.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** The slice covers one district: its count is the exact sum over every community counted that year. */
  population: async (_district, { year }, context) => {
    const [asked, totals] = await Promise.all([countedYear(year, context), context.loaders.districtPopulation()]);
    return totals.find((count) => count.year === asked) ?? null;
  },
  populationHistory: async (_district, _args, { loaders }) => [...(await loaders.districtPopulation())].sort((a, b) => a.year - b.year),
  /** Every community worker of the slice belongs to the one district. */
  workforce: async (_district, { year }, { loaders, caller }) => {
    const row = await loaders.districtWorkforce(checkYear(year) ?? null)();
    return row && workforceAsSeenBy(caller, row);
  },
};
