import type { MotionResolvers } from '../../../generated/graphql.ts';

export const Motion: MotionResolvers = {
  votes: ({ votesFor, votesAgainst, votesAbstain }) => ({ for: votesFor, against: votesAgainst, abstain: votesAbstain }),
};
