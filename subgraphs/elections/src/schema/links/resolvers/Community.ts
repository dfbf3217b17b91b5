import type { CommunityResolvers } from '../../../generated/graphql.ts';
import { turnoutIn } from './turnout.ts';

export const Community: CommunityResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  turnout: (community, { year }, { caller, loaders }) => turnoutIn(caller, year, () => loaders.turnoutByCommunity.load(community.id)),
  matters: (community, args, { loaders }) => loaders.mattersOfCommunity(community.id, args),
};
