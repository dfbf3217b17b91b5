import type { EvaluationResolvers } from '../../../generated/graphql.ts';

export const Evaluation: EvaluationResolvers = {
  evaluator: (evaluation) => ({ id: evaluation.evaluatorOrganisationId }),
  microProject: (evaluation, _args, { loaders }) => loaders.projectOfEvaluation(evaluation),
  service: (evaluation, _args, { loaders }) => loaders.serviceOfEvaluation(evaluation),
};
