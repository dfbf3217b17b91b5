import { containsPattern } from '@gongzhi/kit';
import { sql, type SQL } from 'drizzle-orm';
import { persons } from './schema.ts';

/**
 * Names containing `needle`, case-insensitively: the GIN index on `people.name_parts(name)` finds the
 * names holding every short part of the needle, and ILIKE keeps those that hold it whole.
 */
export function nameContains(needle: string): SQL {
  return sql`(people.name_parts(${persons.name}) @> people.name_parts(${needle}) and ${persons.name} ilike ${containsPattern(needle)})`;
}
