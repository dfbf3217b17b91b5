import type { CommunityWorkerResolvers } from '../../../generated/graphql.ts';
import { personOf } from '../../people/resolvers/personOf.ts';

export const CommunityWorker: CommunityWorkerResolvers = {
  person: (worker, _args, { loaders }) => personOf(worker, `worker ${worker.id}`, loaders.workerPersonById),
  community: (worker) => ({ id: worker.communityId }),
  post: (worker) => (worker.postId ? { id: worker.postId } : null),
  trainings: (worker, _args, { loaders }) => loaders.trainingsByWorker.load(worker.id),
  evaluations: (worker, _args, { loaders }) => loaders.evaluationsByWorker.load(worker.id),
};
