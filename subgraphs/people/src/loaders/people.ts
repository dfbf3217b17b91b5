import { anyOf, groupedLoader, keyedLoader } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { deputies, memberships, persons, volunteers } from '../db/schema.ts';

/**
 * A loader of people by id. The people behind rows that several first-level lists return at once (a
 * community's workers, volunteers, deputies and cross-appointments) get one loader per list: a loader
 * shared between lists whose statements finish at different times would batch by timing, and the
 * statement count of a request would vary from run to run on a server database.
 */
export function personLoader({ db }: Database<typeof schema>) {
  return keyedLoader(
    (ids: readonly string[]) => db.select().from(persons).where(anyOf(persons.id, ids)),
    (row) => row.id,
  );
}

/** The loaders of people, their memberships, volunteering and deputyships. */
export function peopleLoaders(database: Database<typeof schema>) {
  const { db } = database;
  return {
    personById: personLoader(database),
    volunteerPersonById: personLoader(database),
    deputyPersonById: personLoader(database),
    membershipsByPerson: groupedLoader(
      (ids) => db.select().from(memberships).where(anyOf(memberships.personId, ids)).orderBy(memberships.validFrom, memberships.id),
      (row) => row.personId,
    ),
    membershipsByPost: groupedLoader(
      (ids) => db.select().from(memberships).where(anyOf(memberships.postId, ids)).orderBy(memberships.validFrom, memberships.id),
      (row) => row.postId,
    ),
    volunteerByPerson: keyedLoader(
      (ids) => db.select().from(volunteers).where(anyOf(volunteers.personId, ids)),
      (row) => row.personId,
    ),
    deputiesByPerson: groupedLoader(
      (ids) => db.select().from(deputies).where(anyOf(deputies.personId, ids)).orderBy(deputies.id),
      (row) => row.personId,
    ),
  };
}
