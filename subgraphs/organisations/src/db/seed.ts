import { referenceDataset } from '@gongzhi/dataset';
import { insertRows, seedIfEmpty } from '@gongzhi/kit';
import type { OrganisationsDatabase } from '../context.ts';
import * as t from './schema.ts';

/**
 * Loads the district structure of the reference dataset into an empty slice, in one transaction.
 * A slice that already holds a district is left alone, so restarts never duplicate or overwrite data.
 */
export async function seedStructure(database: OrganisationsDatabase): Promise<boolean> {
  return seedIfEmpty(database, t.districts, async (tx) => {
    const s = referenceDataset().structure;
    await insertRows(tx, t.districts, [s.district]);
    await insertRows(tx, t.subdistricts, s.subdistricts.map((row) => ({ ...row, districtId: s.district.id })));
    await insertRows(tx, t.communities, s.communities);
    await insertRows(tx, t.communityPlacements, s.placements);
    await insertRows(tx, t.residentsCommittees, s.residentsCommittees);
    await insertRows(tx, t.organisations, s.organisations);
    await insertRows(tx, t.gridAreas, s.gridAreas);
    await insertRows(tx, t.buildings, s.buildings);
    await insertRows(tx, t.posts, s.posts);
    await insertRows(tx, t.residentsConventions, s.conventions);
  });
}
