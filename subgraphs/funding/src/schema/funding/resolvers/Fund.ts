import type { FundResolvers } from '../../../generated/graphql.ts';

export const Fund: FundResolvers = {
  holder: (fund) => ({ id: fund.holderOrganisationId }),
  programmes: (fund, _args, { loaders }) => loaders.programmesByFund.load(fund.id),
};
