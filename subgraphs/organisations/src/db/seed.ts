import { referenceDataset } from '@gongzhi/dataset';
import type { SliceSeed } from '@gongzhi/kit';
import * as t from './schema.ts';

/** The district structure of the reference dataset: areas, committees, organisations, grid and posts. */
export const structureSeed: SliceSeed = {
  probe: t.districts,
  loads: (choice) => {
    const s = referenceDataset(choice).structure;
    return [
      { table: t.districts, rows: [s.district] },
      { table: t.subdistricts, rows: s.subdistricts.map((row) => ({ ...row, districtId: s.district.id })) },
      { table: t.communities, rows: s.communities },
      { table: t.communityPlacements, rows: s.placements },
      { table: t.residentsCommittees, rows: s.residentsCommittees },
      { table: t.organisations, rows: s.organisations },
      { table: t.gridAreas, rows: s.gridAreas },
      { table: t.buildings, rows: s.buildings },
      { table: t.posts, rows: s.posts },
      { table: t.residentsConventions, rows: s.conventions },
    ];
  },
};
