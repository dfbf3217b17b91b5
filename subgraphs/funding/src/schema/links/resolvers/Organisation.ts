import { checkYear } from '@gongzhi/kit';
import type { OrganisationResolvers } from '../../../generated/graphql.ts';

export const Organisation: OrganisationResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  grantsReceived: (organisation, args, { loaders }) => {
    checkYear(args.year);
    return loaders.grantsOfRecipient(organisation.id, args);
  },
};
