import { randomUUID } from 'node:crypto';
import { InputError, problem, runMutation, violatedConstraint, withClaims, type FieldProblem } from '@gongzhi/kit';
import { and, eq } from 'drizzle-orm';
import { elections, voterRegistrations } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { requireId, checkIdempotencyKey, sliceSchema } from './checks.ts';

const registeredAlready = problem(['personId'], 'CONFLICT', 'this person is registered to vote in this election already');

export const registerVoter: NonNullable<MutationResolvers['registerVoter']> = async (_parent, { input }, { database, caller, loaders }) => {
  const problems: FieldProblem[] = [];
  checkIdempotencyKey(problems, input.idempotencyKey);
  requireId(problems, 'electionId', input.electionId);
  requireId(problems, 'personId', input.personId);
  if (problems.length > 0) return { registration: null, election: null, replayed: false, errors: problems };

  const outcome = await runMutation(
    database.db,
    {
      schema: sliceSchema,
      operation: 'registerVoter',
      caller,
      idempotencyKey: input.idempotencyKey,
      // Concurrent registrations of one person (under different keys): the unique key lets one through.
      explain: (error) => (violatedConstraint(error) === 'voter_registrations_election_person_unique' ? [registeredAlready] : null),
    },
    async ({ tx, audit }) => {
      // Shared lock: registrations go on side by side, but not while the count is being recorded.
      const [election] = await tx.select().from(elections).where(eq(elections.id, input.electionId)).for('share');
      if (!election) throw new InputError([problem(['electionId'], 'NOT_FOUND', 'no election has this id')]);
      if (election.reportStatus !== 'PRE_ELECTION') {
        throw new InputError([problem(['electionId'], 'ILLEGAL_TRANSITION', 'registration is closed: the election has been counted')]);
      }
      if (input.registeredOn < election.announcedOn || input.registeredOn > election.heldOn) {
        throw new InputError([
          problem(
            ['registeredOn'],
            'INVALID',
            `between the announcement (${election.announcedOn}) and the election day (${election.heldOn})`,
          ),
        ]);
      }
      const [existing] = await tx
        .select({ id: voterRegistrations.id })
        .from(voterRegistrations)
        .where(and(eq(voterRegistrations.electionId, election.id), eq(voterRegistrations.personId, input.personId)));
      if (existing) throw new InputError([registeredAlready]);
      const [row] = await tx
        .insert(voterRegistrations)
        .values({
          id: `vr-${randomUUID()}`,
          electionId: election.id,
          personId: input.personId,
          hukouBasis: input.hukouBasis,
          registeredOn: input.registeredOn,
        })
        .returning();
      await audit({ entityType: 'VoterRegistration', entityId: row!.id, operation: 'registerVoter', before: null, after: row });
      return row!.id;
    },
  );
  if (!outcome.ok) return { registration: null, election: null, replayed: false, errors: outcome.problems };
  const [registration] = await withClaims(database.db, caller, (tx) =>
    tx.select().from(voterRegistrations).where(eq(voterRegistrations.id, outcome.value)),
  );
  return {
    registration: registration ?? null,
    election: await loaders.electionById.load(input.electionId),
    replayed: outcome.replayed,
    errors: [],
  };
};
