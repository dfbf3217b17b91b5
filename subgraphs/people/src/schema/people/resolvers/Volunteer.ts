import type { VolunteerResolvers } from '../../../generated/graphql.ts';
import { personOf } from './personOf.ts';

export const Volunteer: VolunteerResolvers = {
  person: (volunteer, _args, { loaders }) => personOf(volunteer, `volunteer ${volunteer.id}`, loaders.volunteerPersonById),
  community: (volunteer) => ({ id: volunteer.communityId }),
};
