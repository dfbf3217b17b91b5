import type { OrganisationResolvers } from '../../../generated/graphql.ts';

export const Organisation: OrganisationResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** Newest first. */
  evaluationsGiven: (organisation, _args, { loaders }) => loaders.evaluationsByEvaluator.load(organisation.id),
};
