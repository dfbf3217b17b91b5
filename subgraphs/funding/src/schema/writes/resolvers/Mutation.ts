import type { MutationResolvers } from '../../../generated/graphql.ts';
import { activateGrant, cancelGrant, closeGrant } from '../grant-status.ts';
import { createGrant } from '../grants.ts';
import { submitProgressReport } from '../progress-reports.ts';
import { recordGrantTransaction } from '../transactions.ts';

export const Mutation: MutationResolvers = {
  recordGrantTransaction,
  createGrant,
  activateGrant,
  closeGrant,
  cancelGrant,
  submitProgressReport,
};
