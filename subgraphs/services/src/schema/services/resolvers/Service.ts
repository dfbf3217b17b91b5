import type { ServiceResolvers } from '../../../generated/graphql.ts';

export const Service: ServiceResolvers = {
  community: (service) => ({ id: service.communityId }),
  provider: (service) => ({ id: service.providerOrganisationId }),
  evaluations: (service, _args, { loaders }) => loaders.evaluationsOfService(service),
};
