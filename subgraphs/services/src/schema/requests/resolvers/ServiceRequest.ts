import type { ServiceRequestStepRow } from '../../../db/schema.ts';
import type { ServiceRequestResolvers } from '../../../generated/graphql.ts';
import { parseInstant } from '@gongzhi/kit';

/** The time of the request's first step with `status`, or null when it has not reached it. */
const reached = (steps: readonly ServiceRequestStepRow[], status: ServiceRequestStepRow['status']) =>
  steps.find((step) => step.status === status)?.at ?? null;

export const ServiceRequest: ServiceRequestResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.serviceRequestById.load(id),
  community: (request) => ({ id: request.communityId }),
  /** Derived, never stored: the latest of its steps (they come in workflow order). */
  status: async (request, _args, { loaders }) => {
    const last = (await loaders.stepsOfRequest(request)).at(-1);
    if (!last) throw new Error(`service request ${request.id} has no step`);
    return last.status;
  },
  history: (request, _args, { loaders }) => loaders.stepsOfRequest(request),
  acknowledgedAt: async (request, _args, { loaders }) => reached(await loaders.stepsOfRequest(request), 'ACKNOWLEDGED'),
  resolvedAt: async (request, _args, { loaders }) => reached(await loaders.stepsOfRequest(request), 'RESOLVED'),
  hoursToResolve: async (request, _args, { loaders }) => {
    const resolvedAt = reached(await loaders.stepsOfRequest(request), 'RESOLVED');
    if (resolvedAt === null) return null;
    return (parseInstant(resolvedAt)! - parseInstant(request.submittedAt)!) / 3_600_000;
  },
};
