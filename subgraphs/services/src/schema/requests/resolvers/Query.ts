import { listConnection } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { serviceRequests } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { serviceRequestWhere } from '../../../loaders/index.ts';

export const Query: QueryResolvers = {
  /** Newest first: keyset pagination on `sort_key`, which sorts by `submitted_at` descending, then id. */
  serviceRequests: (_parent, { communityId, status, submittedFrom, submittedTo, first, after }, { database, loaders }) => {
    const where = and(
      communityId == null ? undefined : eq(serviceRequests.communityId, communityId),
      serviceRequestWhere({ status, submittedFrom, submittedTo }),
    );
    return loaders.track(
      listConnection({ db: database.db, table: serviceRequests, orderColumn: serviceRequests.sortKey, where }, { first, after }),
    );
  },
  serviceRequest: (_parent, { id }, { loaders }) => loaders.serviceRequestById.load(id),
};
