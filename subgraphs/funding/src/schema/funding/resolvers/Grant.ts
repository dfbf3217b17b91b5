import type { GrantResolvers } from '../../../generated/graphql.ts';
import { money } from '../../common/money.ts';
import { present } from '../../common/present.ts';

export const Grant: GrantResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.grantById.load(id),
  programme: (grant, _args, { loaders }) => present(loaders.programmeById.load(grant.programmeId), `programme ${grant.programmeId}`),
  funder: (grant) => ({ id: grant.funderOrganisationId }),
  recipient: (grant) => ({ id: grant.recipientOrganisationId }),
  implementer: (grant) => ({ id: grant.implementingOrganisationId }),
  amountAwarded: (grant) => money(grant.amountFen),
  beneficiaryCommunity: (grant) => ({ id: grant.beneficiaryCommunityId }),
  microProject: (grant) => (grant.microProjectId === null ? null : { id: grant.microProjectId }),
  transactions: (grant, _args, { loaders }) => loaders.transactionsByGrant.load(grant.id),
  /** Summed from its transactions in one statement per batch of grants; all zero before the first one. */
  balance: async (grant, _args, { loaders }) =>
    (await loaders.balanceByGrant.load(grant.id)) ?? { committed: 0, disbursed: 0, spent: 0, refunded: 0 },
  progressReports: (grant, _args, { loaders }) => loaders.reportsByGrant.load(grant.id),
};
