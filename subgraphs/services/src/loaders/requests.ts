import { anyOf } from '@gongzhi/kit';
import type { Database, Waves } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { serviceRequestSteps, serviceRequests, type ServiceRequestRow } from '../db/schema.ts';

/** The loaders of service requests and their steps. */
export function requestLoaders({ db }: Database<typeof schema>, waves: Waves) {
  const serviceRequestById = waves.keyed(
    (ids) => db.select().from(serviceRequests).where(anyOf(serviceRequests.id, ids)),
    (row) => row.id,
  );
  /** In workflow order: the last one is the request's current status. */
  const steps = waves.grouped(
    (ids) =>
      db
        .select()
        .from(serviceRequestSteps)
        .where(anyOf(serviceRequestSteps.serviceRequestId, ids))
        .orderBy(serviceRequestSteps.serviceRequestId, serviceRequestSteps.seq),
    (row) => row.serviceRequestId,
  );

  return {
    serviceRequestById,
    /**
     * A request as a write just left it: read afresh, and nothing this operation read of it before the
     * write (the row, its steps) is answered from a loader's cache.
     */
    serviceRequestAfterWrite: async (id: string): Promise<ServiceRequestRow | null> => {
      const [row] = await waves.track(db.select().from(serviceRequests).where(eq(serviceRequests.id, id)));
      steps.clear(id);
      serviceRequestById.clear(id);
      if (row) serviceRequestById.prime(id, row);
      return row ?? null;
    },
    stepsOfRequest: (request: ServiceRequestRow) => steps.load(request.id),
  };
}
