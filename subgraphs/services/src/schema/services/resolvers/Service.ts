import type { ServiceResolvers } from '../../../generated/graphql.ts';
import { visibleEvaluations } from '../../../access.ts';

export const Service: ServiceResolvers = {
  community: (service) => ({ id: service.communityId }),
  provider: (service) => ({ id: service.providerOrganisationId }),
  evaluations: (service, _args, { loaders, caller }) => visibleEvaluations(caller, loaders.evaluationsOfService(service)),
};
