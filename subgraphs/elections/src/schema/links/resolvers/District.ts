import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { turnoutIn } from './turnout.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** There is one district: it holds every election. */
  turnout: (district, { year }, { loaders }) => turnoutIn(year, () => loaders.turnoutOfDistrict.load(district.id)),
};
