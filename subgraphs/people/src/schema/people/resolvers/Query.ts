import { listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { nameContains } from '../../../db/name-search.ts';
import { persons } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';

export const Query: QueryResolvers = {
  person: (_parent, { id }, { loaders }) => loaders.personById.load(id),
  people: (_parent, { communityId, hukou, search, first, after }, { database }) => {
    const needle = search?.trim();
    return listConnection(
      {
        db: database.db,
        table: persons,
        orderColumn: persons.id,
        where: and(
          communityId != null ? eq(persons.communityId, communityId) : undefined,
          hukou != null ? eq(persons.hukou, hukou) : undefined,
          needle ? nameContains(needle) : undefined,
        ),
      },
      { first, after },
    );
  },
};
