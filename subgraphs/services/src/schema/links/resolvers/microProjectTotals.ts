import { checkYear } from '@gongzhi/kit';
import type { MicroProjectCategory, MicroProjectTotals } from '../../../generated/graphql.ts';
import type { MicroProjectTotalsFilter, MicroProjectTotalsRow } from '../../../loaders/index.ts';

/** The loader filter of `microProjectTotals` arguments, checked (a bad year is refused before any statement). */
export function totalsFilter({ year, category }: { year?: number | null; category?: MicroProjectCategory | null }): MicroProjectTotalsFilter {
  return { year: checkYear(year) ?? null, category: category ?? null };
}

/** An area's totals under `filter`; an area without any matching project has zeros. */
export function totalsOf(filter: MicroProjectTotalsFilter, row: MicroProjectTotalsRow | null): MicroProjectTotals {
  return {
    ...filter,
    projects: row?.projects ?? 0,
    beneficiaries: row?.beneficiaries ?? 0,
    plannedBudget: { amount: row?.plannedBudgetFen ?? 0, currency: 'CNY' },
  };
}
