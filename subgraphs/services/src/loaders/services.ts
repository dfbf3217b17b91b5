import { anyOf, withClaims } from '@gongzhi/kit';
import type { Caller, Database, Waves } from '@gongzhi/kit';
import { asc } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { evaluations, services, type ServiceRow } from '../db/schema.ts';

/** The loaders of services and their evaluations. */
export function serviceLoaders({ db }: Database<typeof schema>, caller: Caller, waves: Waves) {
  // Evaluations are under row-level security: their reads state the caller's claims.
  const asCaller = <T>(run: (tx: typeof db) => Promise<T>) =>
    withClaims(db, { role: caller.role, organisationId: caller.organisationId }, run);

  const serviceById = waves.keyed(
    (ids) => db.select().from(services).where(anyOf(services.id, ids)),
    (row) => row.id,
  );
  /** Oldest first. */
  const serviceEvaluations = waves.grouped(
    (ids) =>
      asCaller((tx) =>
        tx.select().from(evaluations).where(anyOf(evaluations.serviceId, ids)).orderBy(asc(evaluations.evaluatedOn), asc(evaluations.id)),
      ),
    (row) => row.serviceId!,
  );

  return {
    serviceById,
    /** The service is what its evaluations are about: `serviceOfEvaluation` needs no statement for it. */
    evaluationsOfService: (service: ServiceRow) => {
      serviceById.prime(service.id, service);
      return serviceEvaluations.load(service.id);
    },
  };
}

export type ServiceLoaders = ReturnType<typeof serviceLoaders>;
