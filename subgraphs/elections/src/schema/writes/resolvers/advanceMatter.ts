import { type FieldProblem, InputError, lockRow, nextVersion, problem, runMutation } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import { matters, matterStages } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { refuse, requireId, sliceSchema } from './checks.ts';
import { stageOrder, stageRow, stepProblems } from './steps.ts';

export const advanceMatter: NonNullable<MutationResolvers['advanceMatter']> = async (_parent, { input }, { database, caller, loaders }) => {
  const problems: FieldProblem[] = [];
  requireId(problems, 'id', input.id);
  if (problems.length > 0) return { matter: null, errors: problems };

  const outcome = await runMutation(database.db, { schema: sliceSchema, operation: 'advanceMatter', caller }, async ({ tx, audit }) => {
    // The matter's row is the lock every step of it queues on: one step at a time, each from the version it read.
    const matter = await lockRow(tx, matters, input.id, ['id'], 'no matter has this id');
    const version = nextVersion(matter, input.expectedVersion);
    const taken = await tx.select().from(matterStages).where(eq(matterStages.matterId, matter.id)).orderBy(matterStages.stage);
    const current = taken.at(-1)!;
    const next = stageOrder[stageOrder.indexOf(current.stage) + 1];
    if (input.stage !== next) {
      const why = next
        ? `the matter is ${current.stage}: its next step is ${next}, none can be skipped or taken again`
        : 'the matter is finished: its result is published';
      throw new InputError([problem(['stage'], 'ILLEGAL_TRANSITION', why)]);
    }
    const found = stepProblems(next, input);
    if (input.on < current.heldOn) found.push(problem(['on'], 'INVALID', `before the previous step (${current.stage}, ${current.heldOn})`));
    refuse(found);

    const [step] = await tx
      .insert(matterStages)
      .values(stageRow(matter.id, next, input))
      .returning();
    const [after] = await tx.update(matters).set({ version }).where(eq(matters.id, matter.id)).returning();
    await audit({
      entityType: 'Matter',
      entityId: matter.id,
      operation: 'advanceMatter',
      before: { ...matter, stage: current.stage },
      after: { ...after, stage: next, step },
    });
    return matter.id;
  });
  if (!outcome.ok) return { matter: null, errors: outcome.problems };
  return { matter: await loaders.matterById.load(outcome.value), errors: [] };
};
