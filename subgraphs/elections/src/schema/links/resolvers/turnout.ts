import { checkYear } from '@gongzhi/kit';
import type { Turnout } from '../../../generated/graphql.ts';
import type { TurnoutRow } from '../../../loaders/index.ts';
import { rate } from '../../common/arguments.ts';

/**
 * An area's turnout in `year` (default: the latest year it held a counted election), from its per-year
 * sums: a ratio of sums, weighted by registered voters. Null when the area counted no election that year.
 */
export async function turnoutIn(year: number | null | undefined, load: () => Promise<TurnoutRow[]>): Promise<Turnout | null> {
  checkYear(year);
  const years = await load();
  const row = year == null ? years.reduce<TurnoutRow | undefined>((latest, r) => (!latest || r.year > latest.year ? r : latest), undefined) : years.find((r) => r.year === year);
  if (!row) return null;
  return { year: row.year, elections: row.elections, registered: row.registered, participated: row.participated, rate: rate(row.participated, row.registered) };
}
