import type { CommunityResolvers } from '../../../generated/graphql.ts';
import { resolutionIn } from './resolution.ts';

export const Community: CommunityResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  microProjects: (community, args, { loaders }) => loaders.microProjectsOfCommunity(community.id, args),
  serviceRequests: (community, args, { loaders }) => loaders.serviceRequestsOfCommunity(community.id, args),
  events: (community, args, { loaders }) => loaders.eventsOfCommunity(community.id, args),
  services: (community, _args, { loaders }) => loaders.servicesByCommunity.load(community.id),
  requestResolution: (community, { year }, { loaders, caller }) =>
    resolutionIn(caller, year, (y) => loaders.resolutionByCommunity(y).load(community.id)),
};
