import { anyOf, groupedConnections, groupedLoader, keyedLoader } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { buildings, organisations, posts, type OrganisationRow } from '../db/schema.ts';

/** The loaders of organisations, their posts, and the buildings posts are in. */
export function organisationLoaders({ db }: Database<typeof schema>) {
  return {
    organisationById: keyedLoader(
      (ids) => db.select().from(organisations).where(anyOf(organisations.id, ids)),
      (row) => row.id,
    ),
    organisationsOfCommunity: groupedConnections({
      db,
      table: organisations,
      parentColumn: organisations.communityId,
      orderColumn: organisations.id,
      filter: (args: { kind?: OrganisationRow['kind'] | null; first?: number | null; after?: string | null }) =>
        args.kind ? eq(organisations.kind, args.kind) : undefined,
    }),
    postById: keyedLoader(
      (ids) => db.select().from(posts).where(anyOf(posts.id, ids)),
      (row) => row.id,
    ),
    postsByOrganisation: groupedLoader(
      (ids) => db.select().from(posts).where(anyOf(posts.organisationId, ids)).orderBy(posts.id),
      (row) => row.organisationId,
    ),
    buildingById: keyedLoader(
      (ids) => db.select().from(buildings).where(anyOf(buildings.id, ids)),
      (row) => row.id,
    ),
  };
}
