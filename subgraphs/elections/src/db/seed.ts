import { referenceDataset } from '@gongzhi/dataset';
import { insertRows, seedIfEmpty } from '@gongzhi/kit';
import type { ElectionsDatabase } from '../context.ts';
import * as t from './schema.ts';

/**
 * Loads the elections part of the reference dataset into an empty slice, in one transaction. A slice that
 * already holds an election is left alone, so restarts never duplicate or overwrite data. Committee
 * memberships of the elected are the people slice's to store, not this one's.
 */
export async function seedElections(database: ElectionsDatabase): Promise<boolean> {
  return seedIfEmpty(database, t.elections, async (tx) => {
    const data = referenceDataset().elections;
    await insertRows(tx, t.elections, data.elections);
    await insertRows(tx, t.voterRegistrations, data.registrations);
    await insertRows(tx, t.candidacies, data.candidacies);
    await insertRows(tx, t.matters, data.matters);
    // In dataset order (matter by matter, stage by stage), so each stage's predecessor is already there.
    await insertRows(tx, t.matterStages, data.matterStages);
    await insertRows(tx, t.meetings, data.meetings);
    await insertRows(tx, t.motions, data.motions);
  });
}
