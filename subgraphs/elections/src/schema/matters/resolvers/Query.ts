import { listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { matters } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { reachedStage } from '../../../loaders/index.ts';

export const Query: QueryResolvers = {
  matters: (_parent, { communityId, stage, first, after }, { database }) =>
    listConnection(
      {
        db: database.db,
        table: matters,
        orderColumn: matters.id,
        where: and(communityId == null ? undefined : eq(matters.communityId, communityId), stage == null ? undefined : reachedStage(stage)),
      },
      { first, after },
    ),
  matter: (_parent, { id }, { loaders }) => loaders.matterById.load(id),
};
