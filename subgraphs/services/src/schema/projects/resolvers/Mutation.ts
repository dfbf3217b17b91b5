import type { MutationResolvers } from '../../../generated/graphql.ts';
import { recordEvaluation } from '../writes/evaluate.ts';
import { takeStep } from '../writes/lifecycle.ts';
import { proposeMicroProject } from '../writes/propose.ts';

export const Mutation: MutationResolvers = {
  proposeMicroProject,
  approveMicroProject: (_parent, { input }, context) => takeStep('approveMicroProject', input, context),
  rejectMicroProject: (_parent, { input }, context) => takeStep('rejectMicroProject', input, context),
  startMicroProject: (_parent, { input }, context) => takeStep('startMicroProject', input, context),
  completeMicroProject: (_parent, { input }, context) => takeStep('completeMicroProject', input, context),
  recordEvaluation,
};
