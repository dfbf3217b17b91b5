import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { electionTotals, totalsFilter } from './totals.ts';
import { turnoutIn } from './turnout.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** There is one district: it holds every election. */
  turnout: (district, { year }, { caller, loaders }) => turnoutIn(caller, year, () => loaders.turnoutOfDistrict.load(district.id)),
  electionTotals: async (_district, { year, type }, { caller, loaders }) => {
    const filter = totalsFilter(year, type);
    return electionTotals(caller, filter, await loaders.electionTotalsOfDistrict(filter)());
  },
  /** Every matter recorded belongs to the one district. */
  deliberation: (_district, _args, { loaders }) => loaders.deliberation(),
};
