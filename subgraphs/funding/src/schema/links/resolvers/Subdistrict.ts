import { checkYear } from '@gongzhi/kit';
import type { SubdistrictResolvers } from '../../../generated/graphql.ts';
import { microProjectSpendMoney, microProjectSpendPerResident } from './spend.ts';
import { grantTotals } from './totals.ts';

/** Over the grants recorded under this sub-district at award (where the community was then, not now). */
export const Subdistrict: SubdistrictResolvers = {
  __resolveReference: (reference) => reference,
  microProjectSpend: (subdistrict, { year }, context) => microProjectSpendMoney('subdistrict', subdistrict, year, context),
  microProjectSpendPerResident: (subdistrict, { year }, context) => microProjectSpendPerResident('subdistrict', subdistrict, year, context),
  grants: (subdistrict, args, { loaders }) => {
    checkYear(args.year);
    return loaders.grantsOfSubdistrict(subdistrict.id, args);
  },
  grantTotals: (subdistrict, args, context) => grantTotals('subdistrict', subdistrict, args, context),
};
