import { listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { microProjects } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { microProjectWhere } from '../../../loaders/index.ts';

export const Query: QueryResolvers = {
  /** By id; `status` is the current (derived) status, `subdistrictId` the sub-district recorded on the project. */
  microProjects: (_parent, { communityId, subdistrictId, year, status, category, first, after }, { database, loaders }) => {
    const where = and(
      communityId == null ? undefined : eq(microProjects.communityId, communityId),
      subdistrictId == null ? undefined : eq(microProjects.subdistrictId, subdistrictId),
      microProjectWhere({ year, status, category }),
    );
    return loaders.track(listConnection({ db: database.db, table: microProjects, orderColumn: microProjects.id, where }, { first, after }));
  },
  microProject: (_parent, { id }, { loaders }) => loaders.microProjectById.load(id),
};
