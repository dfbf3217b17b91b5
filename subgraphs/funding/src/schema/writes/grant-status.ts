import { type Caller, InputError, lockRow, nextVersion, problem, runMutation } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import type { FundingDatabase } from '../../context.ts';
import { grants, type GrantRow } from '../../db/schema.ts';
import type { MutationResolvers } from '../../generated/graphql.ts';

type Status = GrantRow['status'];

/**
 * The grant's life, as its statuses imply: AWARDED → ACTIVE → COMPLETED, and AWARDED or ACTIVE →
 * CANCELLED. COMPLETED and CANCELLED are final. Each step is one mutation.
 */
const steps = {
  activateGrant: { from: ['AWARDED'], to: 'ACTIVE', refusal: 'only an AWARDED grant can start' },
  closeGrant: { from: ['ACTIVE'], to: 'COMPLETED', refusal: 'only an ACTIVE grant can be closed' },
  cancelGrant: { from: ['AWARDED', 'ACTIVE'], to: 'CANCELLED', refusal: 'only an AWARDED or ACTIVE grant can be cancelled' },
} satisfies Record<string, { from: Status[]; to: Status; refusal: string }>;

type Step = keyof typeof steps;

/** Moves one grant one step: locked, its version checked first (a stale read is a CONFLICT), then the step. */
async function takeStep(database: FundingDatabase, caller: Caller, operation: Step, input: { id: string; expectedVersion: number }) {
  const step = steps[operation];
  let changed: GrantRow | undefined;
  const outcome = await runMutation(database.db, { schema: 'funding', operation, caller }, async ({ tx, audit }) => {
    const grant = await lockRow(tx, grants, input.id, ['id'], 'no grant has this id');
    const version = nextVersion(grant, input.expectedVersion);
    if (!(step.from as Status[]).includes(grant.status))
      throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', `the grant is ${grant.status}: ${step.refusal}`)]);
    [changed] = await tx.update(grants).set({ status: step.to, version }).where(eq(grants.id, grant.id)).returning();
    await audit({ entityType: 'Grant', entityId: grant.id, operation, before: grant, after: changed });
    return grant.id;
  });
  return outcome.ok ? { grant: changed!, errors: [] } : { grant: null, errors: outcome.problems };
}

export const activateGrant: NonNullable<MutationResolvers['activateGrant']> = (_parent, { input }, { database, caller }) =>
  takeStep(database, caller, 'activateGrant', input);

export const closeGrant: NonNullable<MutationResolvers['closeGrant']> = (_parent, { input }, { database, caller }) =>
  takeStep(database, caller, 'closeGrant', input);

export const cancelGrant: NonNullable<MutationResolvers['cancelGrant']> = (_parent, { input }, { database, caller }) =>
  takeStep(database, caller, 'cancelGrant', input);
