import type { VoterRegistrationResolvers } from '../../../generated/graphql.ts';

export const VoterRegistration: VoterRegistrationResolvers = {
  person: (registration) => ({ id: registration.personId }),
};
