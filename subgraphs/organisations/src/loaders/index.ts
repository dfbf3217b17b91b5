import { anyOf, groupedConnections, groupedLoader, keyedLoader } from '@gongzhi/kit';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import {
  buildings,
  communities,
  communityPlacements,
  gridAreas,
  organisations,
  posts,
  residentsCommittees,
  residentsConventions,
  subdistricts,
  districts,
  type OrganisationRow,
} from '../db/schema.ts';

/**
 * Every per-item lookup of this subgraph, batched: one statement per loader per tick, however many
 * parents ask. Built per request so nothing is cached across callers.
 */
export function createLoaders({ db }: Database<typeof schema>) {
  return {
    districtById: keyedLoader((ids) => db.select().from(districts).where(anyOf(districts.id, ids)), (row) => row.id),
    subdistrictById: keyedLoader((ids) => db.select().from(subdistricts).where(anyOf(subdistricts.id, ids)), (row) => row.id),
    subdistrictsSplitFrom: groupedLoader(
      (ids) => db.select().from(subdistricts).where(anyOf(subdistricts.splitFromId, ids)).orderBy(subdistricts.code),
      (row) => row.splitFromId!,
    ),
    communityById: keyedLoader((ids) => db.select().from(communities).where(anyOf(communities.id, ids)), (row) => row.id),
    placementsByCommunity: groupedLoader(
      (ids) =>
        db.select().from(communityPlacements).where(anyOf(communityPlacements.communityId, ids)).orderBy(communityPlacements.validFrom),
      (row) => row.communityId,
    ),
    placementsBySubdistrict: groupedLoader(
      (ids) => db.select().from(communityPlacements).where(anyOf(communityPlacements.subdistrictId, ids)),
      (row) => row.subdistrictId,
    ),
    committeeById: keyedLoader(
      (ids) => db.select().from(residentsCommittees).where(anyOf(residentsCommittees.id, ids)),
      (row) => row.id,
    ),
    committeesByCommunity: groupedLoader(
      (ids) => db.select().from(residentsCommittees).where(anyOf(residentsCommittees.communityId, ids)).orderBy(residentsCommittees.code),
      (row) => row.communityId,
    ),
    conventionsByCommittee: groupedLoader(
      (ids) =>
        db
          .select()
          .from(residentsConventions)
          .where(anyOf(residentsConventions.residentsCommitteeId, ids))
          .orderBy(residentsConventions.version),
      (row) => row.residentsCommitteeId,
    ),
    organisationById: keyedLoader((ids) => db.select().from(organisations).where(anyOf(organisations.id, ids)), (row) => row.id),
    /** The party committee and workstation of each community (the trinity's first two). */
    leadershipByCommunity: groupedLoader(
      (ids) =>
        db
          .select()
          .from(organisations)
          .where(and(anyOf(organisations.communityId, ids), inArray(organisations.kind, ['PARTY_COMMITTEE', 'WORKSTATION'])))
          .orderBy(organisations.id),
      (row) => row.communityId!,
    ),
    /** The committee's own organisation, its residents' council and its supervision committee. */
    organisationsByCommittee: groupedLoader(
      (ids) => db.select().from(organisations).where(anyOf(organisations.residentsCommitteeId, ids)).orderBy(organisations.id),
      (row) => row.residentsCommitteeId!,
    ),
    organisationsOfCommunity: groupedConnections({
      db,
      table: organisations,
      parentColumn: organisations.communityId,
      orderColumn: organisations.id,
      filter: (args: { kind?: OrganisationRow['kind'] | null; first?: number | null; after?: string | null }) =>
        args.kind ? eq(organisations.kind, args.kind) : undefined,
    }),
    postById: keyedLoader((ids) => db.select().from(posts).where(anyOf(posts.id, ids)), (row) => row.id),
    postsByOrganisation: groupedLoader(
      (ids) => db.select().from(posts).where(anyOf(posts.organisationId, ids)).orderBy(posts.id),
      (row) => row.organisationId,
    ),
    directorByGridArea: keyedLoader(
      (ids) => db.select().from(posts).where(and(anyOf(posts.gridAreaId, ids), eq(posts.role, 'AREA_DIRECTOR'))),
      (row) => row.gridAreaId!,
    ),
    headByBuilding: keyedLoader(
      (ids) => db.select().from(posts).where(and(anyOf(posts.buildingId, ids), eq(posts.role, 'BUILDING_HEAD'))),
      (row) => row.buildingId!,
    ),
    gridAreaById: keyedLoader((ids) => db.select().from(gridAreas).where(anyOf(gridAreas.id, ids)), (row) => row.id),
    gridAreasByCommunity: groupedLoader(
      (ids) => db.select().from(gridAreas).where(anyOf(gridAreas.communityId, ids)).orderBy(gridAreas.code),
      (row) => row.communityId,
    ),
    buildingById: keyedLoader((ids) => db.select().from(buildings).where(anyOf(buildings.id, ids)), (row) => row.id),
    buildingsByGridArea: groupedLoader(
      (ids) => db.select().from(buildings).where(anyOf(buildings.gridAreaId, ids)).orderBy(buildings.id),
      (row) => row.gridAreaId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
