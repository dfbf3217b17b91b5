import type { SubdistrictResolvers } from '../../../generated/graphql.ts';
import { totalsFilter, totalsOf } from './microProjectTotals.ts';
import { resolutionIn } from './resolution.ts';

export const Subdistrict: SubdistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** The projects recorded under this sub-district when proposed (where the community was then). */
  microProjects: (subdistrict, args, { loaders }) => loaders.microProjectsOfSubdistrict(subdistrict.id, args),
  /** Over the requests recorded under this sub-district when submitted. */
  requestResolution: (subdistrict, { year }, { loaders, caller }) =>
    resolutionIn(caller, year, (y) => loaders.resolutionBySubdistrict(y).load(subdistrict.id)),
  /** Over the projects recorded under this sub-district when proposed, like `microProjects`. */
  microProjectTotals: async (subdistrict, args, { loaders, caller }) => {
    const filter = totalsFilter(args);
    return totalsOf(caller, filter, await loaders.microProjectTotalsBySubdistrict(filter).load(subdistrict.id));
  },
};
