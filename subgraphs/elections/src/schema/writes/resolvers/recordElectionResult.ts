import { type FieldProblem, InputError, lockRow, nextVersion, problem, runMutation } from '@gongzhi/kit';
import { eq, sql } from 'drizzle-orm';
import { candidacies, elections, voterRegistrations } from '../../../db/schema.ts';
import type { MutationResolvers } from '../../../generated/graphql.ts';
import { requireId, sliceSchema } from './checks.ts';
import { countProblems, outcomeOf } from './count.ts';

export const recordElectionResult: NonNullable<MutationResolvers['recordElectionResult']> = async (
  _parent,
  { input },
  { database, caller, loaders },
) => {
  const problems: FieldProblem[] = [];
  requireId(problems, 'id', input.id);
  problems.push(...countProblems(input));
  if (problems.length > 0) return { election: null, errors: problems };

  const outcome = await runMutation(
    database.db,
    { schema: sliceSchema, operation: 'recordElectionResult', caller },
    async ({ tx, audit }) => {
      // Exclusive lock: registrations and candidacies wait for the count, so the totals below stay true.
      const election = await lockRow(tx, elections, input.id, ['id'], 'no election has this id');
      const version = nextVersion(election, input.expectedVersion);
      if (election.reportStatus === 'CERTIFIED')
        throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', 'the election is certified: its count is final')]);
      const ballot = await tx
        .select()
        .from(candidacies)
        .where(eq(candidacies.electionId, election.id))
        .orderBy(candidacies.position)
        .for('update');
      const needed = election.differential ? election.seats + 1 : election.seats;
      if (ballot.length < needed) {
        const rule = election.differential
          ? `a differential election needs more candidates than seats (${election.seats})`
          : `${election.seats} seats need as many candidates`;
        throw new InputError([problem(['id'], 'ILLEGAL_TRANSITION', `${rule}: ${ballot.length} stand`)]);
      }

      const found: FieldProblem[] = [];
      const onBallot = new Set(ballot.map((candidacy) => candidacy.id));
      input.votes.forEach((entry, i) => {
        if (!onBallot.has(entry.candidacyId))
          found.push(problem(['votes', String(i), 'candidacyId'], 'NOT_FOUND', 'no candidacy of this election has this id'));
      });
      const listed = new Set(input.votes.map((entry) => entry.candidacyId));
      const missing = ballot.filter((candidacy) => !listed.has(candidacy.id));
      if (missing.length > 0) {
        found.push(
          problem(
            ['votes'],
            'REQUIRED',
            `the votes of every candidacy: missing ballot position ${missing.map((c) => c.position).join(', ')}`,
          ),
        );
      }
      // Registered voters are counted, never stored: the registrations, which the lock above holds still.
      const [registrations] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(voterRegistrations)
        .where(eq(voterRegistrations.electionId, election.id));
      const registered = Number(registrations?.n ?? 0);
      if (input.participated > registered) {
        found.push(problem(['participated'], 'LIMIT_EXCEEDED', `more voters took part than are registered (${registered})`));
      }
      const valid = input.ballotsCast - input.ballotsRejected;
      const total = input.votes.reduce((sum, entry) => sum + entry.votes, 0);
      // Each valid ballot marks at most as many names as there are seats.
      if (total > election.seats * valid) {
        found.push(
          problem(['votes'], 'LIMIT_EXCEEDED', `${total} votes in all: more than ${election.seats} seats × ${valid} valid ballots`),
        );
      }
      if (found.length > 0) throw new InputError(found);

      const [after] = await tx
        .update(elections)
        .set({
          reportStatus: 'UNOFFICIAL',
          participated: input.participated,
          ballotsCast: input.ballotsCast,
          ballotsRejected: input.ballotsRejected,
          version,
        })
        .where(eq(elections.id, election.id))
        .returning();
      await audit({ entityType: 'Election', entityId: election.id, operation: 'recordElectionResult', before: election, after });

      const all = input.votes.map((entry) => entry.votes);
      const counted = input.votes.map((entry) => ({
        id: entry.candidacyId,
        votes: entry.votes,
        outcome: outcomeOf(entry.votes, all, election.seats, valid),
      }));
      // Every candidacy in one statement, from three parallel arrays.
      await tx.execute(sql`update ${candidacies} set votes = counted.votes, outcome = counted.outcome::elections.candidacy_outcome, version = ${candidacies.version} + 1
      from unnest(${sql.param(counted.map((c) => c.id))}::text[], ${sql.param(counted.map((c) => String(c.votes)))}::text[]::int[], ${sql.param(counted.map((c) => c.outcome))}::text[])
        as counted(id, votes, outcome)
      where ${candidacies.id} = counted.id`);
      const updated = new Map(
        (await tx.select().from(candidacies).where(eq(candidacies.electionId, election.id))).map((row) => [row.id, row]),
      );
      for (const before of ballot) {
        await audit({
          entityType: 'Candidacy',
          entityId: before.id,
          operation: 'recordElectionResult',
          before,
          after: updated.get(before.id),
        });
      }
      return election.id;
    },
  );
  if (!outcome.ok) return { election: null, errors: outcome.problems };
  return { election: await loaders.electionById.load(outcome.value), errors: [] };
};
