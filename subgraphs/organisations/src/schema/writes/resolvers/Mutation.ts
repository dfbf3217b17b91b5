import type { MutationResolvers } from '../../../generated/graphql.ts';
import { communityMutations } from './communities.ts';
import { organisationMutations } from './organisations.ts';
import { postMutations } from './posts.ts';

export const Mutation: MutationResolvers = { ...organisationMutations, ...postMutations, ...communityMutations };
