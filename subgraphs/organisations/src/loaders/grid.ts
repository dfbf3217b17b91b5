import { anyOf, groupedLoader, keyedLoader } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { and, eq, isNull } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { buildings, gridAreas, posts } from '../db/schema.ts';

/** The loaders of grid areas, their buildings, and the seats over them. */
export function gridLoaders({ db }: Database<typeof schema>) {
  return {
    /** The open seat: a closed one may stand beside the seat that replaced it (at most one is open). */
    directorByGridArea: keyedLoader(
      (ids) =>
        db
          .select()
          .from(posts)
          .where(and(anyOf(posts.gridAreaId, ids), eq(posts.role, 'AREA_DIRECTOR'), isNull(posts.validTo))),
      (row) => row.gridAreaId!,
    ),
    headByBuilding: keyedLoader(
      (ids) =>
        db
          .select()
          .from(posts)
          .where(and(anyOf(posts.buildingId, ids), eq(posts.role, 'BUILDING_HEAD'), isNull(posts.validTo))),
      (row) => row.buildingId!,
    ),
    gridAreaById: keyedLoader(
      (ids) => db.select().from(gridAreas).where(anyOf(gridAreas.id, ids)),
      (row) => row.id,
    ),
    gridAreasByCommunity: groupedLoader(
      (ids) => db.select().from(gridAreas).where(anyOf(gridAreas.communityId, ids)).orderBy(gridAreas.code),
      (row) => row.communityId,
    ),
    buildingsByGridArea: groupedLoader(
      (ids) => db.select().from(buildings).where(anyOf(buildings.gridAreaId, ids)).orderBy(buildings.id),
      (row) => row.gridAreaId,
    ),
  };
}
