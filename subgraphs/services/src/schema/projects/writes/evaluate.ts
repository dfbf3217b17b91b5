import { randomUUID } from 'node:crypto';
import { forbidden, InputError, problem, runMutation, today, violatedConstraint, withClaims, type FieldProblem } from '@gongzhi/kit';
import { asc, eq } from 'drizzle-orm';
import { evaluations, microProjectSteps, microProjects, services } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { idempotencyKeyProblems, organisationProblems, textProblems } from '../../common/write-checks.ts';

/**
 * A third-party evaluation of a project or a service. Evaluating a project is its last lifecycle step
 * (COMPLETED → EVALUATED), taken under the project's row lock, so two evaluations of one project never
 * both succeed. A partner records only its own organisation's: refused here, and by the row-level-security
 * policy on evaluations (migration 0004_project_workflow) should anything get past.
 */
export const recordEvaluation: MutationResolvers['recordEvaluation'] = async (_parent, { input }, { database, caller, loaders }) => {
  if (caller.role === 'partner' && input.evaluatorOrganisationId !== caller.organisationId) {
    throw forbidden('a partner records evaluations of its own organisation only');
  }
  const problems: FieldProblem[] = [
    ...idempotencyKeyProblems(input.idempotencyKey),
    ...organisationProblems(input.evaluatorOrganisationId, ['evaluatorOrganisationId']),
    ...textProblems(input.reportRef, ['reportRef'], 200, 'the evaluation report’s reference'),
  ];
  const { microProjectId, serviceId } = input;
  if (microProjectId == null && serviceId == null)
    problems.push(problem(['microProjectId'], 'REQUIRED', 'name the micro-project or the service evaluated'));
  if (microProjectId != null && serviceId != null)
    problems.push(problem(['serviceId'], 'INVALID', 'one evaluation is of a micro-project or of a service, not both'));
  if (!Number.isInteger(input.score) || input.score < 0 || input.score > 100)
    problems.push(problem(['score'], 'INVALID', 'a score from 0 to 100'));
  if (input.evaluatedOn > today()) problems.push(problem(['evaluatedOn'], 'INVALID', 'in the future'));
  if (problems.length > 0) return { evaluation: null, microProject: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    {
      schema: 'services',
      operation: 'recordEvaluation',
      caller,
      idempotencyKey: input.idempotencyKey,
      explain: (error) =>
        violatedConstraint(error) === 'evaluations_report_ref_unique'
          ? [problem(['reportRef'], 'CONFLICT', 'another evaluation has this report reference')]
          : null,
    },
    async ({ tx, audit }) => {
      const third = (owner: string, role: string) => {
        if (owner === input.evaluatorOrganisationId)
          throw new InputError([problem(['evaluatorOrganisationId'], 'INVALID', `a third party: not the ${role}`)]);
      };
      let project = null;
      let stepNumber = 0;
      if (microProjectId != null) {
        [project] = await tx.select().from(microProjects).where(eq(microProjects.id, microProjectId)).for('update');
        if (!project) throw new InputError([problem(['microProjectId'], 'NOT_FOUND', 'no micro-project has this id')]);
        const steps = await tx
          .select()
          .from(microProjectSteps)
          .where(eq(microProjectSteps.microProjectId, project.id))
          .orderBy(asc(microProjectSteps.status));
        const last = steps.at(-1)!;
        if (last.status !== 'COMPLETED') {
          throw new InputError([
            problem(['microProjectId'], 'ILLEGAL_TRANSITION', `the project is ${last.status}: only a COMPLETED project can be evaluated`),
          ]);
        }
        if (input.evaluatedOn < last.on)
          throw new InputError([problem(['evaluatedOn'], 'INVALID', `before the project was completed (${last.on})`)]);
        third(project.proposerOrganisationId, 'organisation that proposed the project');
        stepNumber = steps.length + 1;
      } else {
        const [service] = await tx.select().from(services).where(eq(services.id, serviceId!));
        if (!service) throw new InputError([problem(['serviceId'], 'NOT_FOUND', 'no service has this id')]);
        third(service.providerOrganisationId, 'organisation that provides the service');
      }
      const evaluation = {
        id: `ev-${randomUUID()}`,
        evaluatorOrganisationId: input.evaluatorOrganisationId,
        microProjectId: microProjectId ?? null,
        serviceId: serviceId ?? null,
        evaluatedOn: input.evaluatedOn,
        score: input.score,
        reportRef: input.reportRef.trim(),
      };
      await tx.insert(evaluations).values(evaluation);
      await audit({ entityType: 'Evaluation', entityId: evaluation.id, operation: 'recordEvaluation', before: null, after: evaluation });
      if (project) {
        const version = project.version + 1;
        const step = {
          id: `${project.id}-${stepNumber}`,
          microProjectId: project.id,
          status: 'EVALUATED' as const,
          on: input.evaluatedOn,
          note: `report ${evaluation.reportRef}`,
          reason: null,
        };
        await tx.insert(microProjectSteps).values(step);
        await tx.update(microProjects).set({ version }).where(eq(microProjects.id, project.id));
        await audit({
          entityType: 'MicroProject',
          entityId: project.id,
          operation: 'recordEvaluation',
          before: { ...project, status: 'COMPLETED' },
          after: { ...project, version, status: step.status, step },
        });
      }
      return evaluation.id;
    },
  );
  if (!outcome.ok) return { evaluation: null, microProject: null, replayed: false, errors: outcome.problems };
  // As the caller: a partner reads back its own evaluation through row-level security.
  const [evaluation] = await withClaims(database.db, caller, (tx) =>
    tx.select().from(evaluations).where(eq(evaluations.id, outcome.value)),
  );
  const evaluated = evaluation?.microProjectId ?? null;
  return {
    evaluation: evaluation ?? null,
    microProject: evaluated === null ? null : await loaders.projectAfterWrite(evaluated),
    replayed: outcome.replayed,
    errors: [],
  };
};
