import { checkYear, withSmallCellsSuppressed, type Caller } from '@gongzhi/kit';
import type { ElectionTotals, ElectionType } from '../../../generated/graphql.ts';
import type { TotalsFilter, TotalsRow } from '../../../loaders/index.ts';
import { rate } from '../../common/arguments.ts';
import { totalsCells } from '../../common/disclosure.ts';

/** The filter of an `electionTotals` field, its year checked; one loader serves each distinct filter. */
export function totalsFilter(year: number, type: ElectionType | null | undefined): TotalsFilter {
  return { year: checkYear(year), type: type ?? null };
}

/**
 * An area's totals from its aggregate row; an area that held no election in the year has none, and counts
 * zero. Small participation cells are withheld from the caller when it may not see them.
 */
export function electionTotals(caller: Caller, { year, type }: TotalsFilter, row: TotalsRow | null): ElectionTotals {
  const { elections = 0, seats = 0, membersElected = 0, registered = 0, participated = 0 } = row ?? {};
  const exact = { year, type, elections, seats, membersElected, registered, participated, turnout: rate(participated, registered) };
  return withSmallCellsSuppressed(caller, exact, totalsCells);
}
