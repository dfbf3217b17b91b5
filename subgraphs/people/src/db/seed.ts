import { referenceDataset } from '@gongzhi/dataset';
import type { SliceSeed } from '@gongzhi/kit';
import * as t from './schema.ts';

/**
 * The people part of the reference dataset: residents (streamed, 5.73 million at scale 1), official
 * counts, memberships (including the committee seats won in elections), workers with their trainings
 * and evaluations, volunteers and deputies.
 */
export const peopleSeed: SliceSeed = {
  probe: t.persons,
  loads: (choice) => {
    const { people, elections } = referenceDataset(choice);
    return [
      { table: t.persons, rows: people.residents.rows(), expected: people.residents.count },
      { table: t.populationCounts, rows: people.populationCounts },
      { table: t.memberships, rows: [...people.memberships, ...elections.committeeMemberships] },
      { table: t.workers, rows: people.workers },
      { table: t.trainings, rows: people.trainings },
      { table: t.evaluations, rows: people.evaluations },
      { table: t.volunteers, rows: people.volunteers },
      { table: t.deputies, rows: people.deputies },
    ];
  },
};
