import { checkYear } from '@gongzhi/kit';
import type { CommunityResolvers } from '../../../generated/graphql.ts';
import { microProjectSpendMoney, microProjectSpendPerResident } from './spend.ts';

export const Community: CommunityResolvers = {
  // The representation itself: in `microProjectSpendPerResident` calls it carries the population that field @requires.
  __resolveReference: (reference) => reference,
  budget: (community, { year }, { loaders }) => loaders.budgetsOfCommunity({ year: checkYear(year) ?? null }).load(community.id),
  microProjectSpend: (community, { year }, context) => microProjectSpendMoney('community', community, year, context),
  microProjectSpendPerResident: (community, { year }, context) => microProjectSpendPerResident('community', community, year, context),
  grants: (community, args, { loaders }) => {
    checkYear(args.year);
    return loaders.grantsOfCommunity(community.id, args);
  },
};
