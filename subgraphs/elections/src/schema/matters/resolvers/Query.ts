import { listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { matters } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { reachedStage, visibilityOf, visibleMatters } from '../../../loaders/index.ts';

export const Query: QueryResolvers = {
  /** The public and partners see the matters whose resolution is published, in the page and in `totalCount`. */
  matters: (_parent, { communityId, stage, first, after }, { database, caller }) =>
    listConnection(
      {
        db: database.db,
        table: matters,
        orderColumn: matters.id,
        where: and(
          communityId == null ? undefined : eq(matters.communityId, communityId),
          stage == null ? undefined : reachedStage(stage),
          visibleMatters(visibilityOf(caller)),
        ),
      },
      { first, after },
    ),
  /** Null for a matter the caller may not see, as for one that does not exist. */
  matter: (_parent, { id }, { loaders }) => loaders.matterById.load(id),
};
