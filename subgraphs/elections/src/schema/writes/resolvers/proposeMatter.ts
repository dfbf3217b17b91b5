import { randomUUID } from 'node:crypto';
import { runMutation, type FieldProblem } from '@gongzhi/kit';
import { matters, matterStages } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { checkCommunity, requireId, checkIdempotencyKey, requiredText, sliceSchema } from './checks.ts';
import { stageRow, stepProblems } from './steps.ts';

export const proposeMatter: NonNullable<MutationResolvers['proposeMatter']> = async (_parent, { input }, { database, caller, loaders }) => {
  const problems: FieldProblem[] = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  requireId(problems, 'residentsCommitteeId', input.residentsCommitteeId);
  requireId(problems, 'communityId', input.communityId);
  requiredText(problems, 'title', input.title, 200, 'what the matter is');
  requiredText(problems, 'summary', input.summary, 2000, 'what is proposed');
  problems.push(...stepProblems('PROPOSED', input));
  if (problems.length > 0) return { matter: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    { schema: sliceSchema, operation: 'proposeMatter', caller, idempotencyKey: input.idempotencyKey },
    async ({ tx, audit }) => {
      await checkCommunity(tx, input.residentsCommitteeId, input.communityId);
      const id = `mat-${randomUUID()}`;
      const [matter] = await tx
        .insert(matters)
        .values({
          id,
          communityId: input.communityId,
          residentsCommitteeId: input.residentsCommitteeId,
          title: input.title.trim(),
          summary: input.summary.trim(),
        })
        .returning();
      const [step] = await tx
        .insert(matterStages)
        .values(stageRow(id, 'PROPOSED', input))
        .returning();
      await audit({
        entityType: 'Matter',
        entityId: id,
        operation: 'proposeMatter',
        before: null,
        after: { ...matter, stage: 'PROPOSED', step },
      });
      return id;
    },
  );
  if (!outcome.ok) return { matter: null, replayed: false, errors: outcome.problems };
  return { matter: await loaders.matterById.load(outcome.value), replayed: outcome.replayed, errors: [] };
};
