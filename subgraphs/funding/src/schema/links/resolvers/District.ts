import { checkYear } from '@gongzhi/kit';
import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { money } from '../../common/money.ts';
import { microProjectSpendMoney, microProjectSpendPerResident } from './spend.ts';
import { grantTotals } from './totals.ts';

/** There is one district: it holds every grant. */
export const District: DistrictResolvers = {
  __resolveReference: (reference) => reference,
  microProjectSpend: (district, { year }, context) => microProjectSpendMoney('district', district, year, context),
  microProjectSpendPerResident: (district, { year }, context) => microProjectSpendPerResident('district', district, year, context),
  /** Zero for a year without budgets. */
  microProjectBudget: async (_district, { year }, { loaders }) =>
    money((await loaders.microProjectBudget.load(String(checkYear(year))))?.fen ?? 0),
  grantTotals: (district, args, context) => grantTotals('district', district, args, context),
};
