import { anyOf, withClaims } from '@gongzhi/kit';
import type { Caller, Database, Waves } from '@gongzhi/kit';
import { asc, eq } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { evaluations, microProjectSteps, microProjects, type EvaluationRow, type MicroProjectRow } from '../db/schema.ts';
import type { ServiceLoaders } from './services.ts';

/** The loaders of micro-projects, their steps and evaluations, and what an evaluation is about. */
export function projectLoaders(
  { db }: Database<typeof schema>,
  caller: Caller,
  waves: Waves,
  { serviceById }: Pick<ServiceLoaders, 'serviceById'>,
) {
  // Evaluations are under row-level security: their reads state the caller's claims.
  const asCaller = <T>(run: (tx: typeof db) => Promise<T>) =>
    withClaims(db, { role: caller.role, organisationId: caller.organisationId }, run);

  const microProjectById = waves.keyed(
    (ids) => db.select().from(microProjects).where(anyOf(microProjects.id, ids)),
    (row) => row.id,
  );
  /** In lifecycle order (the steps form a chain): the last one is the project's current status. */
  const steps = waves.grouped(
    (ids) => db.select().from(microProjectSteps).where(anyOf(microProjectSteps.microProjectId, ids)).orderBy(microProjectSteps.status),
    (row) => row.microProjectId,
  );
  /** Oldest first. */
  const projectEvaluations = waves.grouped(
    (ids) =>
      asCaller((tx) =>
        tx
          .select()
          .from(evaluations)
          .where(anyOf(evaluations.microProjectId, ids))
          .orderBy(asc(evaluations.evaluatedOn), asc(evaluations.id)),
      ),
    (row) => row.microProjectId!,
  );

  return {
    microProjectById,
    /**
     * A project as a mutation left it: read afresh, and nothing this operation read of it before the change
     * (the row, its steps, its evaluations) is answered from a loader's cache.
     */
    projectAfterWrite: async (id: string): Promise<MicroProjectRow | null> => {
      const [row] = await waves.track(db.select().from(microProjects).where(eq(microProjects.id, id)));
      steps.clear(id);
      projectEvaluations.clear(id);
      microProjectById.clear(id);
      if (row) microProjectById.prime(id, row);
      return row ?? null;
    },
    stepsOfProject: (project: MicroProjectRow) => steps.load(project.id),
    /** The project is what its evaluations are about: `projectOfEvaluation` needs no statement for it. */
    evaluationsOfProject: (project: MicroProjectRow) => {
      microProjectById.prime(project.id, project);
      return projectEvaluations.load(project.id);
    },
    /** What an evaluation is about: the row its evaluations were read through, or else looked up by id. */
    projectOfEvaluation: (evaluation: EvaluationRow) =>
      evaluation.microProjectId === null ? null : microProjectById.load(evaluation.microProjectId),
    serviceOfEvaluation: (evaluation: EvaluationRow) => (evaluation.serviceId === null ? null : serviceById.load(evaluation.serviceId)),
  };
}
