import type { TransactionResolvers } from '../../../generated/graphql.ts';
import { money } from '../../common/money.ts';

export const Transaction: TransactionResolvers = {
  amount: (transaction) => money(transaction.amountFen),
};
