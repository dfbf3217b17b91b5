import type { ServiceRequestStepRow } from '../../../db/schema.ts';
import type { ServiceRequestResolvers } from '../../../generated/graphql.ts';
import { parseInstant } from '@gongzhi/kit';

/** The time of the request's first step with `status`, or null when it has not reached it. */
const reached = (steps: readonly ServiceRequestStepRow[], status: ServiceRequestStepRow['status']) =>
  steps.find((step) => step.status === status)?.at ?? null;

/**
 * When the standing resolution was recorded: the latest RESOLVED step while the request is resolved or
 * closed; null before, and after a reopening until it is resolved again.
 */
function resolvedAt(steps: readonly ServiceRequestStepRow[]): string | null {
  const current = steps.at(-1)?.status;
  if (current !== 'RESOLVED' && current !== 'CLOSED') return null;
  return steps.findLast((step) => step.status === 'RESOLVED')?.at ?? null;
}

export const ServiceRequest: ServiceRequestResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.serviceRequestById.load(id),
  community: (request) => ({ id: request.communityId }),
  /** Derived, never stored: the last of its steps (they come in workflow order). */
  status: async (request, _args, { loaders }) => {
    const last = (await loaders.stepsOfRequest(request)).at(-1);
    if (!last) throw new Error(`service request ${request.id} has no step`);
    return last.status;
  },
  history: (request, _args, { loaders }) => loaders.stepsOfRequest(request),
  /** The first acknowledgement: a reopening returns the request to ACKNOWLEDGED but does not move it. */
  acknowledgedAt: async (request, _args, { loaders }) => reached(await loaders.stepsOfRequest(request), 'ACKNOWLEDGED'),
  resolvedAt: async (request, _args, { loaders }) => resolvedAt(await loaders.stepsOfRequest(request)),
  hoursToResolve: async (request, _args, { loaders }) => {
    const at = resolvedAt(await loaders.stepsOfRequest(request));
    if (at === null) return null;
    return (parseInstant(at)! - parseInstant(request.submittedAt)!) / 3_600_000;
  },
};
