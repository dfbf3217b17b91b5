import type { DistrictResolvers } from '../../../generated/graphql.ts';
import { microProjectSpendMoney, microProjectSpendPerResident } from './spend.ts';

/** There is one district: it holds every grant. */
export const District: DistrictResolvers = {
  __resolveReference: (reference) => reference,
  microProjectSpend: (district, { year }, context) => microProjectSpendMoney('district', district, year, context),
  microProjectSpendPerResident: (district, { year }, context) => microProjectSpendPerResident('district', district, year, context),
};
