import { inForce, today } from '@gongzhi/kit';
import type { PostResolvers } from '../../../generated/graphql.ts';

export const Post: PostResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  holder: async (post, { on }, { loaders }) => {
    const date = on ?? today();
    // Oldest first: the latest membership in force that day holds the seat.
    const holding = (await loaders.membershipsByPost.load(post.id)).filter((membership) => inForce(membership, date)).at(-1);
    return holding ? loaders.personById.load(holding.personId) : null;
  },
  holders: (post, _args, { loaders }) => loaders.membershipsByPost.load(post.id),
};
