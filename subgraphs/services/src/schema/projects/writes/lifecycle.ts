import { type FieldProblem, InputError, lockRow, nextVersion, problem, runMutation, today, violatedConstraint } from '@gongzhi/kit';
import { asc, eq } from 'drizzle-orm';
import { microProjectSteps, microProjects, type MicroProjectStepRow } from '../../../db/schema.ts';
import type { ResolversTypes } from '../../../generated/graphql.ts';
import type { Context } from '../../../context.ts';
import { optionalTextProblems, textProblems } from '../../common/write-checks.ts';

type Status = MicroProjectStepRow['status'];

/** The step each lifecycle mutation takes: the only status it may start from, and the one it leaves. */
export const lifecycleSteps = {
  approveMicroProject: { from: 'PROPOSED', to: 'APPROVED', done: 'approved' },
  rejectMicroProject: { from: 'PROPOSED', to: 'REJECTED', done: 'rejected' },
  startMicroProject: { from: 'APPROVED', to: 'IN_PROGRESS', done: 'started' },
  completeMicroProject: { from: 'IN_PROGRESS', to: 'COMPLETED', done: 'completed' },
} as const satisfies Record<string, { from: Status; to: Status; done: string }>;

export type LifecycleOperation = keyof typeof lifecycleSteps;

export interface StepInput {
  id: string;
  expectedVersion: number;
  on?: string | null;
  note?: string | null;
  reason?: string | null;
}

/** The chain rules of `micro_project_steps` refuse a second successor or a skipped step: the same answer as ours. */
const chainConstraints = new Set([
  'micro_project_steps_project_status_unique',
  'micro_project_steps_project_previous_unique',
  'micro_project_steps_previous_status_fk',
]);

type Payload = ResolversTypes['MicroProjectPayload'];

/**
 * Takes one lifecycle step of a project. The project row is locked first, so concurrent steps queue and
 * each sees what the last one left: a stale `expectedVersion` is CONFLICT, a step the current status does
 * not allow ILLEGAL_TRANSITION, and a date before the last step's (or after today) INVALID.
 */
export async function takeStep(operation: LifecycleOperation, input: StepInput, { database, caller, loaders }: Context): Promise<Payload> {
  const { from, to, done } = lifecycleSteps[operation];
  const problems: FieldProblem[] = [
    ...optionalTextProblems(input.note, ['note'], 500),
    ...(to === 'REJECTED' ? textProblems(input.reason, ['reason'], 500, 'say why it is rejected') : []),
  ];
  if (problems.length > 0) return { microProject: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    {
      schema: 'services',
      operation,
      caller,
      explain: (error) =>
        chainConstraints.has(violatedConstraint(error) ?? '')
          ? [problem(['id'], 'ILLEGAL_TRANSITION', `only a ${from} project can be ${done}`)]
          : null,
    },
    async ({ tx, audit }) => {
      const project = await lockRow(tx, microProjects, input.id, ['id'], 'no micro-project has this id');
      const version = nextVersion(project, input.expectedVersion);
      const steps = await tx
        .select()
        .from(microProjectSteps)
        .where(eq(microProjectSteps.microProjectId, project.id))
        .orderBy(asc(microProjectSteps.status));
      const last = steps.at(-1)!;
      if (last.status !== from)
        throw new InputError([
          problem(['id'], 'ILLEGAL_TRANSITION', `the project is ${last.status}: only a ${from} project can be ${done}`),
        ]);
      const on = input.on ?? today();
      if (on < last.on) throw new InputError([problem(['on'], 'INVALID', `before the project's last step (${last.status} on ${last.on})`)]);
      if (on > today()) throw new InputError([problem(['on'], 'INVALID', 'in the future: record a step once it has happened')]);
      const step = {
        id: `${project.id}-${steps.length + 1}`,
        microProjectId: project.id,
        status: to,
        on,
        note: input.note?.trim() ?? '',
        reason: to === 'REJECTED' ? input.reason!.trim() : null,
      };
      await tx.insert(microProjectSteps).values(step);
      await tx.update(microProjects).set({ version }).where(eq(microProjects.id, project.id));
      await audit({
        entityType: 'MicroProject',
        entityId: project.id,
        operation,
        before: { ...project, status: last.status },
        after: { ...project, version, status: to, step },
      });
      return project.id;
    },
  );
  if (!outcome.ok) return { microProject: null, replayed: false, errors: outcome.problems };
  return { microProject: await loaders.projectAfterWrite(outcome.value), replayed: false, errors: [] };
}
