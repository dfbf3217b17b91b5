import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { resolutionIn } from './resolution.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** There is one district: it holds every request. */
  requestResolution: (district, { year }, { loaders }) => resolutionIn(year, (y) => loaders.resolutionOfDistrict(y).load(district.id)),
};
