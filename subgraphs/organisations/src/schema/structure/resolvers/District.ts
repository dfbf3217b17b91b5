import { today } from '@gongzhi/kit';
import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { subdistrictsOn } from './Query.ts';

export const District: DistrictResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.districtById.load(id),
  validTo: () => null,
  subdistricts: (_district, { asOf }, context) => subdistrictsOn(context, asOf),
  governance: async (district, { asOf }, { loaders }) => {
    const date = asOf ?? district.asOf ?? today();
    return { asOf: date, ...(await loaders.governanceOfDistrict(date)()) };
  },
};
