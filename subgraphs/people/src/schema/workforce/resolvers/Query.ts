import { checkYear, listConnection } from '@gongzhi/kit';
import { and, eq, inArray, max, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { populationCounts, workers } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import type { Context } from '../../../context.ts';

/**
 * Communities under a sub-district. The slice cannot read the organisations tables, so it uses the
 * sub-district each community's latest official count was recorded under.
 */
function communitiesOfSubdistrict({ database }: Context, subdistrictId: string) {
  const latest = alias(populationCounts, 'latest');
  const latestYear = database.db
    .select({ year: max(latest.year) })
    .from(latest)
    .where(eq(latest.communityId, populationCounts.communityId));
  return database.db
    .select({ communityId: populationCounts.communityId })
    .from(populationCounts)
    .where(and(eq(populationCounts.subdistrictId, subdistrictId), eq(populationCounts.year, sql`(${latestYear})`)));
}

export const Query: QueryResolvers = {
  communityWorkers: (_parent, { communityId, subdistrictId, recruitedIn, first, after }, context) =>
    listConnection(
      {
        db: context.database.db,
        table: workers,
        orderColumn: workers.id,
        where: and(
          communityId != null ? eq(workers.communityId, communityId) : undefined,
          subdistrictId != null ? inArray(workers.communityId, communitiesOfSubdistrict(context, subdistrictId)) : undefined,
          recruitedIn != null ? eq(workers.recruitedYear, checkYear(recruitedIn, 'recruitedIn')) : undefined,
        ),
      },
      { first, after },
    ),
};
