import { checkYear } from '@gongzhi/kit';
import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { totalsFilter, totalsOf } from './microProjectTotals.ts';
import { resolutionIn } from './resolution.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** There is one district: it holds every request. */
  requestResolution: (district, { year }, { loaders }) => resolutionIn(year, (y) => loaders.resolutionOfDistrict(y).load(district.id)),
  microProjectTotals: async (_district, args, { loaders }) => {
    const filter = totalsFilter(args);
    return totalsOf(filter, await loaders.districtMicroProjectTotals(filter)());
  },
  neighbourhood: (_district, { year }, { loaders }) => loaders.neighbourhoodIn(checkYear(year))(),
  serviceCoverage: (_district, _args, { loaders }) => loaders.serviceCoverage(),
};
