import type { MembershipResolvers } from '../../../generated/graphql.ts';
import { personOf } from './personOf.ts';

export const Membership: MembershipResolvers = {
  person: (membership, _args, { loaders }) => personOf(membership, `membership ${membership.id}`, loaders.personById),
  post: (membership) => ({ id: membership.postId }),
  organisation: (membership) => ({ id: membership.organisationId }),
};
