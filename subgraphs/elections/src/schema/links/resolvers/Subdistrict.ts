import type { SubdistrictResolvers } from '../../../generated/graphql.ts';
import { electionTotals, totalsFilter } from './totals.ts';
import { turnoutIn } from './turnout.ts';

export const Subdistrict: SubdistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** Over the elections recorded as held in this sub-district (where it was then, not where it is now). */
  turnout: (subdistrict, { year }, { caller, loaders }) => turnoutIn(caller, year, () => loaders.turnoutBySubdistrict.load(subdistrict.id)),
  /** Over the elections recorded as held in this sub-district, like `turnout`. */
  electionTotals: async (subdistrict, { year, type }, { caller, loaders }) => {
    const filter = totalsFilter(year, type);
    return electionTotals(caller, filter, await loaders.electionTotalsBySubdistrict(filter).load(subdistrict.id));
  },
};
