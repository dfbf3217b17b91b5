import { visibleEvaluations } from '../../../access.ts';
import type { OrganisationResolvers } from '../../../generated/graphql.ts';

export const Organisation: OrganisationResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  /** Newest first. */
  evaluationsGiven: (organisation, _args, { loaders, caller }) =>
    visibleEvaluations(caller, loaders.evaluationsByEvaluator.load(organisation.id)),
};
