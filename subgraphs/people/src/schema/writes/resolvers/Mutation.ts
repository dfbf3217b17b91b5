import type { MutationResolvers } from '../../../generated/graphql.ts';
import { appointMember, endMembership } from './memberships.ts';
import { registerPerson, updatePerson } from './persons.ts';
import { hireCommunityWorker, recordTraining, recordWorkerEvaluation } from './workforce.ts';

/** The slice's writes, one module per area: residents, memberships, community workers. */
export const Mutation: MutationResolvers = {
  registerPerson,
  updatePerson,
  appointMember,
  endMembership,
  hireCommunityWorker,
  recordTraining,
  recordWorkerEvaluation,
};
