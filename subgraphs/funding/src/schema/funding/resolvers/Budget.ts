import type { BudgetResolvers } from '../../../generated/graphql.ts';
import { money } from '../../common/money.ts';
import { present } from '../../common/present.ts';

export const Budget: BudgetResolvers = {
  programme: (budget, _args, { loaders }) => present(loaders.programmeById.load(budget.programmeId), `programme ${budget.programmeId}`),
  community: (budget) => ({ id: budget.communityId }),
  amount: (budget) => money(budget.amountFen),
};
