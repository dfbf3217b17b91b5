import { districtStructure } from '@gongzhi/dataset';
import { insertInChunks } from '@gongzhi/kit';
import type { OrganisationsDatabase } from '../context.ts';
import * as t from './schema.ts';

/**
 * Loads the district structure of the reference dataset into an empty slice, in one transaction.
 * A slice that already holds a district is left alone, so restarts never duplicate or overwrite data.
 */
export async function seedStructure(database: OrganisationsDatabase): Promise<boolean> {
  const [existing] = await database.db.select({ id: t.districts.id }).from(t.districts).limit(1);
  if (existing) return false;
  const s = districtStructure();
  await database.db.transaction(async (tx) => {
    await tx.insert(t.districts).values(s.district);
    await tx.insert(t.subdistricts).values(s.subdistricts.map((row) => ({ ...row, districtId: s.district.id })));
    await insertInChunks((rows) => tx.insert(t.communities).values(rows), s.communities);
    await insertInChunks((rows) => tx.insert(t.communityPlacements).values(rows), s.placements);
    await insertInChunks((rows) => tx.insert(t.residentsCommittees).values(rows), s.residentsCommittees);
    await insertInChunks((rows) => tx.insert(t.organisations).values(rows), s.organisations);
    await insertInChunks((rows) => tx.insert(t.gridAreas).values(rows), s.gridAreas);
    await insertInChunks((rows) => tx.insert(t.buildings).values(rows), s.buildings);
    await insertInChunks((rows) => tx.insert(t.posts).values(rows), s.posts);
    await insertInChunks((rows) => tx.insert(t.residentsConventions).values(rows), s.conventions);
  });
  return true;
}
