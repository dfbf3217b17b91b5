import type { DeputyResolvers } from '../../../generated/graphql.ts';
import { personOf } from './personOf.ts';

export const Deputy: DeputyResolvers = {
  person: (deputy, _args, { loaders }) => personOf(deputy, `deputy ${deputy.id}`, loaders.deputyPersonById),
  receptionCommunity: (deputy) => ({ id: deputy.receptionCommunityId }),
};
