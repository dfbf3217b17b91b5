import type { MatterStageRecordResolvers } from '../../../generated/graphql.ts';

export const MatterStageRecord: MatterStageRecordResolvers = {
  votes: ({ votesFor, votesAgainst, votesAbstain }) =>
    votesFor === null || votesAgainst === null || votesAbstain === null
      ? null
      : { for: votesFor, against: votesAgainst, abstain: votesAbstain },
};
