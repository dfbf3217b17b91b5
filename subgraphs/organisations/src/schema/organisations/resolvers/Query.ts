import { listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { organisations } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';

export const Query: QueryResolvers = {
  organisations: (_parent, { kind, communityId, first, after }, { database }) =>
    listConnection(
      {
        db: database.db,
        table: organisations,
        orderColumn: organisations.id,
        where: and(kind ? eq(organisations.kind, kind) : undefined, communityId ? eq(organisations.communityId, communityId) : undefined),
      },
      { first, after },
    ),
  organisation: (_parent, { id }, { loaders }) => loaders.organisationById.load(id),
  post: (_parent, { id }, { loaders }) => loaders.postById.load(id),
};
