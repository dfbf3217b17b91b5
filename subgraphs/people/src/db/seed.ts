import { referenceDataset } from '@gongzhi/dataset';
import { insertRows, seedIfEmpty } from '@gongzhi/kit';
import type { PeopleDatabase } from '../context.ts';
import * as t from './schema.ts';

/**
 * Loads the people part of the reference dataset into an empty slice, in one transaction: residents,
 * official counts, memberships (including the committee seats won in elections), workers with their
 * trainings and evaluations, volunteers and deputies. A slice that already holds a person is left alone,
 * so restarts never duplicate or overwrite data.
 */
export async function seedPeople(database: PeopleDatabase): Promise<boolean> {
  return seedIfEmpty(database, t.persons, async (tx) => {
    const { people, elections } = referenceDataset();
    await insertRows(tx, t.persons, people.persons);
    await insertRows(tx, t.populationCounts, people.populationCounts);
    await insertRows(tx, t.memberships, [...people.memberships, ...elections.committeeMemberships]);
    await insertRows(tx, t.workers, people.workers);
    await insertRows(tx, t.trainings, people.trainings);
    await insertRows(tx, t.evaluations, people.evaluations);
    await insertRows(tx, t.volunteers, people.volunteers);
    await insertRows(tx, t.deputies, people.deputies);
  });
}
