import type { GrantBalanceResolvers } from '../../../generated/graphql.ts';
import { money } from '../../common/money.ts';

export const GrantBalance: GrantBalanceResolvers = {
  committed: (balance) => money(balance.committed),
  disbursed: (balance) => money(balance.disbursed),
  spent: (balance) => money(balance.spent),
  refunded: (balance) => money(balance.refunded),
  netSpent: (balance) => money(balance.spent - balance.refunded),
  undisbursed: (balance) => money(balance.committed - balance.disbursed),
};
