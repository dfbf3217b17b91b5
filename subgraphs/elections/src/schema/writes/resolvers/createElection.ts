import { randomUUID } from 'node:crypto';
import { InputError, problem, runMutation, violatedConstraint, type FieldProblem } from '@gongzhi/kit';
import { and, desc, eq, lt } from 'drizzle-orm';
import { elections } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { checkCommunity, requireId, checkIdempotencyKey, sliceSchema } from './checks.ts';

/** A residents' committee has five to nine members (城市居民委员会组织法, art. 7). */
const committeeSize = { min: 5, max: 9 };

export const createElection: NonNullable<MutationResolvers['createElection']> = async (
  _parent,
  { input },
  { database, caller, loaders },
) => {
  const problems: FieldProblem[] = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  requireId(problems, 'residentsCommitteeId', input.residentsCommitteeId);
  requireId(problems, 'communityId', input.communityId);
  requireId(problems, 'subdistrictId', input.subdistrictId);
  const general = input.type === 'GENERAL';
  if (
    !Number.isSafeInteger(input.seats) ||
    input.seats < 1 ||
    (general && (input.seats < committeeSize.min || input.seats > committeeSize.max))
  ) {
    problems.push(
      problem(['seats'], 'INVALID', general ? `a committee has ${committeeSize.min} to ${committeeSize.max} seats` : 'at least one seat'),
    );
  }
  if (input.heldOn < input.announcedOn) problems.push(problem(['heldOn'], 'INVALID', `before the announcement (${input.announcedOn})`));
  if (problems.length > 0) return { election: null, replayed: false, errors: problems };

  const sameDay = problem(['heldOn'], 'CONFLICT', `the committee already has an election on ${input.heldOn}`);
  const outcome = await runMutation(
    database.db,
    {
      schema: sliceSchema,
      operation: 'createElection',
      caller,
      idempotencyKey: input.idempotencyKey,
      // Two different creations racing for one committee and day: the unique key lets one through.
      explain: (error) => (violatedConstraint(error) === 'elections_committee_held_on_unique' ? [sameDay] : null),
    },
    async ({ tx, audit }) => {
      await checkCommunity(tx, input.residentsCommitteeId, input.communityId);
      if (!general) {
        // A by-election fills seats of the term the last certified general election began.
        const [term] = await tx
          .select()
          .from(elections)
          .where(
            and(
              eq(elections.residentsCommitteeId, input.residentsCommitteeId),
              eq(elections.type, 'GENERAL'),
              eq(elections.reportStatus, 'CERTIFIED'),
              lt(elections.heldOn, input.heldOn),
            ),
          )
          .orderBy(desc(elections.heldOn))
          .limit(1);
        if (!term)
          throw new InputError([
            problem(
              ['type'],
              'INVALID',
              `a by-election fills seats of a term: the committee has no certified general election before ${input.heldOn}`,
            ),
          ]);
        if (input.seats > term.seats) {
          throw new InputError([
            problem(
              ['seats'],
              'LIMIT_EXCEEDED',
              `the general election of ${term.heldOn} filled ${term.seats} seats: no more can be vacant`,
            ),
          ]);
        }
      }
      const [clash] = await tx
        .select({ id: elections.id })
        .from(elections)
        .where(and(eq(elections.residentsCommitteeId, input.residentsCommitteeId), eq(elections.heldOn, input.heldOn)));
      if (clash) throw new InputError([sameDay]);
      const [row] = await tx
        .insert(elections)
        .values({
          id: `el-${randomUUID()}`,
          residentsCommitteeId: input.residentsCommitteeId,
          communityId: input.communityId,
          subdistrictId: input.subdistrictId,
          type: input.type,
          differential: input.differential,
          seats: input.seats,
          announcedOn: input.announcedOn,
          heldOn: input.heldOn,
          reportStatus: 'PRE_ELECTION',
        })
        .returning();
      await audit({ entityType: 'Election', entityId: row!.id, operation: 'createElection', before: null, after: row });
      return row!.id;
    },
  );
  if (!outcome.ok) return { election: null, replayed: false, errors: outcome.problems };
  return { election: await loaders.electionById.load(outcome.value), replayed: outcome.replayed, errors: [] };
};
