import { referenceDataset } from '@gongzhi/dataset';
import { insertRows, seedIfEmpty } from '@gongzhi/kit';
import type { FundingDatabase } from '../context.ts';
import * as t from './schema.ts';

/**
 * Loads the funding part of the reference dataset into an empty slice, in one transaction. A slice that
 * already holds a fund is left alone, so restarts never duplicate or overwrite data. Balances are not
 * loaded: they are sums of the transactions.
 */
export async function seedFunding(database: FundingDatabase): Promise<boolean> {
  return seedIfEmpty(database, t.funds, async (tx) => {
    const data = referenceDataset().funding;
    await insertRows(
      tx,
      t.funds,
      data.funds.map(({ organisationId, ...fund }) => ({ ...fund, holderOrganisationId: organisationId })),
    );
    await insertRows(tx, t.programmes, data.programmes);
    await insertRows(tx, t.budgets, data.budgets);
    await insertRows(tx, t.grants, data.grants);
    await insertRows(tx, t.transactions, data.transactions);
    await insertRows(tx, t.progressReports, data.progressReports);
  });
}
