import type { MutationResolvers } from '../../../generated/graphql.ts';
import { addCandidacy } from './addCandidacy.ts';
import { advanceMatter } from './advanceMatter.ts';
import { certifyElection } from './certifyElection.ts';
import { createElection } from './createElection.ts';
import { proposeMatter } from './proposeMatter.ts';
import { recordElectionResult } from './recordElectionResult.ts';
import { registerVoter } from './registerVoter.ts';

/** One module per mutation: each validates, runs in one audited transaction (runMutation) and answers its payload. */
export const Mutation: MutationResolvers = {
  createElection,
  registerVoter,
  addCandidacy,
  recordElectionResult,
  certifyElection,
  proposeMatter,
  advanceMatter,
};
