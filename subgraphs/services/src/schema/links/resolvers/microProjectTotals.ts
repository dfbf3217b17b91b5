import { checkYear, withSmallCellsSuppressed, type Caller } from '@gongzhi/kit';
import type { MicroProjectCategory, MicroProjectTotals } from '../../../generated/graphql.ts';
import type { MicroProjectTotalsFilter, MicroProjectTotalsRow } from '../../../loaders/index.ts';

/** The loader filter of `microProjectTotals` arguments, checked (a bad year is refused before any statement). */
export function totalsFilter({
  year,
  category,
}: {
  year?: number | null;
  category?: MicroProjectCategory | null;
}): MicroProjectTotalsFilter {
  return { year: checkYear(year) ?? null, category: category ?? null };
}

/**
 * An area's totals under `filter`, as `caller` may see them (the beneficiaries are people: fewer than the
 * threshold are withheld from the public and partners); an area without any matching project has zeros.
 */
export function totalsOf(caller: Caller, filter: MicroProjectTotalsFilter, row: MicroProjectTotalsRow | null): MicroProjectTotals {
  const totals = {
    ...filter,
    projects: row?.projects ?? 0,
    beneficiaries: row?.beneficiaries ?? 0,
    plannedBudget: { amount: row?.plannedBudgetFen ?? 0, currency: 'CNY' as const },
  };
  return withSmallCellsSuppressed(caller, totals, { counts: ['beneficiaries'] });
}
