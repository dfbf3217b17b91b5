import { referenceDataset } from '@gongzhi/dataset';
import type { SliceSeed } from '@gongzhi/kit';
import * as t from './schema.ts';

/** The funding part of the reference dataset. Balances are not stored: they are sums of the transactions. */
export const fundingSeed: SliceSeed = {
  probe: t.funds,
  loads: (choice) => {
    const data = referenceDataset(choice).funding;
    return [
      { table: t.funds, rows: data.funds.map(({ organisationId, ...fund }) => ({ ...fund, holderOrganisationId: organisationId })) },
      { table: t.programmes, rows: data.programmes },
      { table: t.budgets, rows: data.budgets },
      { table: t.grants, rows: data.grants },
      { table: t.transactions, rows: data.transactions },
      { table: t.progressReports, rows: data.progressReports },
    ];
  },
};
