import type { Context } from '../../../context.ts';
import type { PersonRow } from '../../../db/schema.ts';
import type { WithPerson } from '../../../mappers.ts';

/**
 * The person a row points at: the one it was reached from when it carries it, else through `loader`.
 * A dangling reference inside the slice is a data error, not a null.
 */
export async function personOf(
  row: { personId: string } & WithPerson,
  holder: string,
  loader: Context['loaders']['personById'],
): Promise<PersonRow> {
  if (row.person) return row.person;
  const person = await loader.load(row.personId);
  if (!person) throw new Error(`${holder} names unknown person ${row.personId}`);
  return person;
}
