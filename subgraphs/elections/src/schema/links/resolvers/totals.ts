import { checkYear } from '@gongzhi/kit';
import type { ElectionTotals, ElectionType } from '../../../generated/graphql.ts';
import type { TotalsFilter, TotalsRow } from '../../../loaders/index.ts';
import { rate } from '../../common/arguments.ts';

/** The filter of an `electionTotals` field, its year checked; one loader serves each distinct filter. */
export function totalsFilter(year: number, type: ElectionType | null | undefined): TotalsFilter {
  return { year: checkYear(year), type: type ?? null };
}

/** An area's totals from its aggregate row; an area that held no election in the year has none, and counts zero. */
export function electionTotals({ year, type }: TotalsFilter, row: TotalsRow | null): ElectionTotals {
  const { elections = 0, seats = 0, membersElected = 0, registered = 0, participated = 0 } = row ?? {};
  return { year, type, elections, seats, membersElected, registered, participated, turnout: rate(participated, registered) };
}
