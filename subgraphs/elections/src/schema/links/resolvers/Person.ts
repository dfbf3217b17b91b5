import type { PersonResolvers } from '../../../generated/graphql.ts';

export const Person: PersonResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  candidacies: (person, _args, { loaders }) => loaders.candidaciesByPerson.load(person.id),
};
