import { inForce, today } from '@gongzhi/kit';
import type { CommunityResolvers } from '../../../generated/graphql.ts';

export const Community: CommunityResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.communityById.load(id),
  subdistrict: async (community, { asOf }, { loaders }) => {
    const date = asOf ?? today();
    const placement = (await loaders.placementsByCommunity.load(community.id)).find((candidate) => inForce(candidate, date));
    if (!placement) return null;
    const subdistrict = await loaders.subdistrictById.load(placement.subdistrictId);
    return subdistrict && { ...subdistrict, asOf: date };
  },
  placements: (community, _args, { loaders }) => loaders.placementsByCommunity.load(community.id),
  residentsCommittees: (community, _args, { loaders }) => loaders.committeesByCommunity.load(community.id),
  partyCommittee: async (community, _args, { loaders }) =>
    (await loaders.leadershipByCommunity.load(community.id)).find((row) => row.kind === 'PARTY_COMMITTEE') ?? null,
  workstation: async (community, _args, { loaders }) =>
    (await loaders.leadershipByCommunity.load(community.id)).find((row) => row.kind === 'WORKSTATION') ?? null,
};
