import { checkYear, withSmallCellsSuppressed } from '@gongzhi/kit';
import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { totalsFilter, totalsOf } from './microProjectTotals.ts';
import { resolutionIn } from './resolution.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** There is one district: it holds every request. */
  requestResolution: (district, { year }, { loaders, caller }) =>
    resolutionIn(caller, year, (y) => loaders.resolutionOfDistrict(y).load(district.id)),
  microProjectTotals: async (_district, args, { loaders, caller }) => {
    const filter = totalsFilter(args);
    return totalsOf(caller, filter, await loaders.districtMicroProjectTotals(filter)());
  },
  /** The attendance counts people, and a handful of events could single out who ran or went to them. */
  neighbourhood: async (_district, { year }, { loaders, caller }) =>
    withSmallCellsSuppressed(caller, await loaders.neighbourhoodIn(checkYear(year))(), { counts: ['events', 'attendance'] }),
  serviceCoverage: (_district, _args, { loaders }) => loaders.serviceCoverage(),
};
