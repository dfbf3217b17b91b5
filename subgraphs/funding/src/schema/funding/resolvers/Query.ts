import { checkYear, listConnection } from '@gongzhi/kit';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { funds, grants, programmes } from '../../../db/schema.ts';
import type { QueryResolvers } from '../../../generated/graphql.ts';
import { grantFilter } from '../../../loaders/index.ts';

export const Query: QueryResolvers = {
  /** By id (code-point order, the same on every server). */
  funds: (_parent, { kind }, { database: { db }, loaders }) =>
    loaders.track(
      db
        .select()
        .from(funds)
        .where(kind == null ? undefined : eq(funds.kind, kind))
        .orderBy(sql`${funds.id} collate "C"`),
    ),
  /** By name (code-point order, the same on every server), then id. */
  programmes: (_parent, { kind }, { database: { db }, loaders }) =>
    loaders.track(
      db
        .select()
        .from(programmes)
        .where(kind == null ? undefined : inArray(programmes.fundId, db.select({ id: funds.id }).from(funds).where(eq(funds.kind, kind))))
        .orderBy(sql`${programmes.name} collate "C"`, programmes.id),
    ),
  programme: (_parent, { id }, { loaders }) => loaders.programmeById.load(id),
  /** Newest award first: keyset pagination on `sort_key`, which sorts by `awarded_on` descending, then id. */
  grants: (_parent, { programmeId, recipientId, communityId, year, first, after }, { database: { db }, loaders }) => {
    checkYear(year);
    const where = and(
      programmeId == null ? undefined : eq(grants.programmeId, programmeId),
      recipientId == null ? undefined : eq(grants.recipientOrganisationId, recipientId),
      communityId == null ? undefined : eq(grants.beneficiaryCommunityId, communityId),
      grantFilter(db, { year }),
    );
    return loaders.track(listConnection({ db, table: grants, orderColumn: grants.sortKey, where }, { first, after }));
  },
  grant: (_parent, { id }, { loaders }) => loaders.grantById.load(id),
};
