import { checkYear, listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { elections } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { inYear } from '../../../loaders/index.ts';

export const Query: QueryResolvers = {
  /** Newest first: keyset pagination on `sort_key`, which sorts by `held_on` descending, then id. */
  elections: (_parent, { communityId, subdistrictId, year, type, first, after }, { database }) => {
    checkYear(year);
    return listConnection(
      {
        db: database.db,
        table: elections,
        orderColumn: elections.sortKey,
        where: and(
          communityId == null ? undefined : eq(elections.communityId, communityId),
          subdistrictId == null ? undefined : eq(elections.subdistrictId, subdistrictId),
          year == null ? undefined : inYear(elections.heldOn, year),
          type == null ? undefined : eq(elections.type, type),
        ),
      },
      { first, after },
    );
  },
  election: (_parent, { id }, { loaders }) => loaders.electionById.load(id),
};
