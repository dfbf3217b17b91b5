import { connectionFromArray, inForce, today } from '@gongzhi/kit';
import type { CommunityRow } from '../../../db/schema.ts';
import type { SubdistrictResolvers } from '../../../generated/graphql.ts';

export const Subdistrict: SubdistrictResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.subdistrictById.load(id),
  district: async (subdistrict, _args, { loaders }) => {
    const district = await loaders.districtById.load(subdistrict.districtId);
    if (!district) throw new Error(`sub-district ${subdistrict.id} has no district`);
    return district;
  },
  splitFrom: (subdistrict, _args, { loaders }) => (subdistrict.splitFromId ? loaders.subdistrictById.load(subdistrict.splitFromId) : null),
  splitInto: (subdistrict, _args, { loaders }) => loaders.subdistrictsSplitFrom.load(subdistrict.id),
  communities: async (subdistrict, { asOf, search, first, after }, { loaders }) => {
    const date = asOf ?? subdistrict.asOf ?? subdistrict.validTo ?? today();
    const placements = (await loaders.placementsBySubdistrict.load(subdistrict.id)).filter((placement) => inForce(placement, date));
    const rows = (await loaders.communityById.loadMany(placements.map((placement) => placement.communityId))).filter(
      (row): row is CommunityRow => row !== null && !(row instanceof Error),
    );
    const needle = search?.trim().toLowerCase();
    const matching = needle ? rows.filter((row) => row.name.includes(needle) || row.nameEn.toLowerCase().includes(needle)) : rows;
    return connectionFromArray(matching, { first, after }, (row) => row.code);
  },
};

