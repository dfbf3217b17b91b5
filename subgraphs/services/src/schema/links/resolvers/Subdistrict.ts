import type { SubdistrictResolvers } from '../../../generated/graphql.ts';
import { resolutionIn } from './resolution.ts';

export const Subdistrict: SubdistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** The projects recorded under this sub-district when proposed (where the community was then). */
  microProjects: (subdistrict, args, { loaders }) => loaders.microProjectsOfSubdistrict(subdistrict.id, args),
  /** Over the requests recorded under this sub-district when submitted. */
  requestResolution: (subdistrict, { year }, { loaders }) =>
    resolutionIn(year, (y) => loaders.resolutionBySubdistrict(y).load(subdistrict.id)),
};
