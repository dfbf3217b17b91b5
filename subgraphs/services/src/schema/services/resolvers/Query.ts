import { listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { dutyItems, events } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { eventWhere } from '../../../loaders/index.ts';

export const Query: QueryResolvers = {
  /** Newest first: keyset pagination on `sort_key`, which sorts by `starts_at` descending, then id. */
  events: (_parent, { communityId, from, to, first, after }, { database, loaders }) =>
    loaders.track(
      listConnection(
        {
          db: database.db,
          table: events,
          orderColumn: events.sortKey,
          where: and(communityId == null ? undefined : eq(events.communityId, communityId), eventWhere({ from, to })),
        },
        { first, after },
      ),
    ),
  dutyItems: (_parent, _args, { database, loaders }) => loaders.track(database.db.select().from(dutyItems).orderBy(dutyItems.id)),
};
