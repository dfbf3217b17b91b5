import type { CommunityPlacementResolvers } from '../../../generated/graphql.ts';

export const CommunityPlacement: CommunityPlacementResolvers = {
  subdistrict: async (placement, _args, { loaders }) => {
    const subdistrict = await loaders.subdistrictById.load(placement.subdistrictId);
    if (!subdistrict) throw new Error(`placement names unknown sub-district ${placement.subdistrictId}`);
    return { ...subdistrict, asOf: placement.validFrom };
  },
};
