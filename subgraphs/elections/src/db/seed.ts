import { referenceDataset } from '@gongzhi/dataset';
import type { SliceSeed } from '@gongzhi/kit';
import * as t from './schema.ts';

/**
 * The elections part of the reference dataset. Committee memberships of the elected are the people
 * slice's to store, not this one's.
 */
export const electionsSeed: SliceSeed = {
  probe: t.elections,
  loads: (choice) => {
    const data = referenceDataset(choice).elections;
    return [
      { table: t.elections, rows: data.elections },
      { table: t.voterRegistrations, rows: data.registrations },
      { table: t.candidacies, rows: data.candidacies },
      { table: t.matters, rows: data.matters },
      { table: t.matterStages, rows: data.matterStages },
      { table: t.meetings, rows: data.meetings },
      { table: t.motions, rows: data.motions },
    ];
  },
};
