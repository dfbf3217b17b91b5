import { dayBefore } from '@gongzhi/dataset';
import { InputError, inForce, nextVersion, problem, runMutation } from '@gongzhi/kit';
import { and, asc, eq } from 'drizzle-orm';
import { communities, communityPlacements, subdistricts } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import type { Problems } from './fields.ts';

export const communityMutations: Pick<MutationResolvers, 'moveCommunity'> = {
  /**
   * A boundary change adds history, never rewrites it: the current placement ends the day before `from`
   * (periods are inclusive at both ends) and a new one starts on `from`.
   */
  moveCommunity: async (_parent, { input }, context) => {
    const { database, caller } = context;
    const outcome = await runMutation(
      database.db,
      { schema: 'organisations', operation: 'moveCommunity', caller },
      async ({ tx, audit }) => {
        // Locked: moves of one community queue here, each seeing the placements the previous one left.
        const [community] = await tx.select().from(communities).where(eq(communities.id, input.communityId)).for('update');
        const [target] = await tx.select().from(subdistricts).where(eq(subdistricts.id, input.toSubdistrictId));
        const missing: Problems = [];
        if (!community) missing.push(problem(['communityId'], 'NOT_FOUND', 'no community has this id'));
        if (!target) missing.push(problem(['toSubdistrictId'], 'NOT_FOUND', 'no sub-district has this id'));
        if (!community || !target) throw new InputError(missing);
        const version = nextVersion(community, input.expectedVersion);

        const placements = await tx
          .select()
          .from(communityPlacements)
          .where(eq(communityPlacements.communityId, community.id))
          .orderBy(asc(communityPlacements.validFrom));
        const current = placements.at(-1);
        if (!current) throw new Error(`community ${community.id} has no placement`);
        const wrong: Problems = [];
        if (current.subdistrictId === target.id)
          wrong.push(problem(['toSubdistrictId'], 'INVALID', `the community already belongs to ${target.name}`));
        else if (!inForce(target, input.from))
          wrong.push(problem(['toSubdistrictId'], 'INVALID', `${target.name} is not in force on ${input.from}`));
        if (input.from <= current.validFrom) {
          wrong.push(
            problem(
              ['from'],
              'ILLEGAL_TRANSITION',
              `the current placement started on ${current.validFrom}: a move starts after it (history is not rewritten)`,
            ),
          );
        } else if (community.validTo !== null && input.from > community.validTo) {
          wrong.push(problem(['from'], 'INVALID', `the community ceased on ${community.validTo}`));
        }
        if (wrong.length > 0) throw new InputError(wrong);

        await tx
          .update(communityPlacements)
          .set({ validTo: dayBefore(input.from) })
          .where(and(eq(communityPlacements.communityId, community.id), eq(communityPlacements.validFrom, current.validFrom)));
        await tx
          .insert(communityPlacements)
          .values({ communityId: community.id, subdistrictId: target.id, validFrom: input.from, validTo: current.validTo });
        const [moved] = await tx.update(communities).set({ version }).where(eq(communities.id, community.id)).returning();
        const history = await tx
          .select()
          .from(communityPlacements)
          .where(eq(communityPlacements.communityId, community.id))
          .orderBy(asc(communityPlacements.validFrom));
        await audit({
          entityType: 'Community',
          entityId: community.id,
          operation: 'moveCommunity',
          before: { ...community, placements },
          after: { ...moved, placements: history },
        });
        return community.id;
      },
    );
    if (!outcome.ok) return { community: null, errors: outcome.problems };
    return { community: await context.loaders.communityById.load(outcome.value), errors: [] };
  },
};
