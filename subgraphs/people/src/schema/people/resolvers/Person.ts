import { inForce, today } from '@gongzhi/kit';
import type { PersonResolvers } from '../../../generated/graphql.ts';

export const Person: PersonResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.personById.load(id),
  community: (person) => ({ id: person.communityId }),
  memberships: async (person, { includeEnded }, { loaders }) => {
    const held = await loaders.membershipsByPerson.load(person.id);
    const date = today();
    return held.filter((membership) => includeEnded || inForce(membership, date)).map((membership) => ({ ...membership, person }));
  },
  worker: async (person, _args, { loaders }) => {
    const worker = await loaders.workerByPerson.load(person.id);
    return worker && { ...worker, person };
  },
  volunteer: async (person, _args, { loaders }) => {
    const volunteer = await loaders.volunteerByPerson.load(person.id);
    return volunteer && { ...volunteer, person };
  },
  deputyRoles: async (person, _args, { loaders }) =>
    (await loaders.deputiesByPerson.load(person.id)).map((deputy) => ({ ...deputy, person })),
};
