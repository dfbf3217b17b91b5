import { anyOf, groupedLoader, keyedLoader } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { evaluations, trainings, workers } from '../db/schema.ts';
import { personLoader } from './people.ts';

/** The loaders of community workers, their people, trainings and evaluations. */
export function workforceLoaders(database: Database<typeof schema>) {
  const { db } = database;
  return {
    workerPersonById: personLoader(database),
    workerByPerson: keyedLoader(
      (ids) => db.select().from(workers).where(anyOf(workers.personId, ids)),
      (row) => row.personId,
    ),
    trainingsByWorker: groupedLoader(
      (ids) => db.select().from(trainings).where(anyOf(trainings.workerId, ids)).orderBy(trainings.completedOn, trainings.id),
      (row) => row.workerId,
    ),
    evaluationsByWorker: groupedLoader(
      (ids) => db.select().from(evaluations).where(anyOf(evaluations.workerId, ids)).orderBy(evaluations.year),
      (row) => row.workerId,
    ),
  };
}
