import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { subdistrictsOn } from './Query.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.districtById.load(id),
  validTo: () => null,
  subdistricts: (_district, { asOf }, context) => subdistrictsOn(context, asOf),
};
