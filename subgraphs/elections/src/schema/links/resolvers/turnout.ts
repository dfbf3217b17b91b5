import { checkYear, withSmallCellsSuppressed, type Caller } from '@gongzhi/kit';
import type { Turnout } from '../../../generated/graphql.ts';
import type { TurnoutRow } from '../../../loaders/index.ts';
import { rate } from '../../common/arguments.ts';
import { turnoutCells } from '../../common/disclosure.ts';

/**
 * An area's turnout in `year` (default: the latest year it held a counted election), from its per-year
 * sums: a ratio of sums, weighted by registered voters. Null when the area counted no election that year.
 * The loader leaves out what the caller may not see; small cells are withheld here.
 */
export async function turnoutIn(
  caller: Caller,
  year: number | null | undefined,
  load: () => Promise<TurnoutRow[]>,
): Promise<Turnout | null> {
  checkYear(year);
  const years = await load();
  const row =
    year == null
      ? years.reduce<TurnoutRow | undefined>((latest, r) => (!latest || r.year > latest.year ? r : latest), undefined)
      : years.find((r) => r.year === year);
  if (!row) return null;
  const exact = {
    year: row.year,
    elections: row.elections,
    registered: row.registered,
    participated: row.participated,
    rate: rate(row.participated, row.registered),
  };
  return withSmallCellsSuppressed(caller, exact, turnoutCells);
}
