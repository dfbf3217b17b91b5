import type { EventResolvers } from '../../../generated/graphql.ts';

export const Event: EventResolvers = {
  community: (event) => ({ id: event.communityId }),
  organiser: (event) => ({ id: event.organiserOrganisationId }),
};
