import { problem, type FieldProblem } from '@gongzhi/kit';
import type { CandidacyRow } from '../../../db/schema.ts';

export interface CountInput {
  participated: number;
  ballotsCast: number;
  ballotsRejected: number;
  votes: readonly { candidacyId: string; votes: number }[];
}

const count = (value: number) => Number.isSafeInteger(value) && value >= 0;

/**
 * What the count itself must satisfy, before anything is read: whole numbers, each candidacy once, ballots
 * within participants, rejections within ballots, and no candidacy above the valid ballots.
 */
export function countProblems(input: CountInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of ['participated', 'ballotsCast', 'ballotsRejected'] as const) {
    if (!count(input[field])) problems.push(problem([field], 'INVALID', 'a whole number, zero or more'));
  }
  const seen = new Set<string>();
  input.votes.forEach((entry, i) => {
    if (seen.has(entry.candidacyId))
      problems.push(problem(['votes', String(i), 'candidacyId'], 'INVALID', 'this candidacy is listed already'));
    seen.add(entry.candidacyId);
    if (!count(entry.votes)) problems.push(problem(['votes', String(i), 'votes'], 'INVALID', 'a whole number, zero or more'));
  });
  if (problems.length > 0) return problems;
  if (input.ballotsCast > input.participated) {
    problems.push(problem(['ballotsCast'], 'LIMIT_EXCEEDED', `more ballots cast than voters took part (${input.participated})`));
  }
  if (input.ballotsRejected > input.ballotsCast) {
    problems.push(problem(['ballotsRejected'], 'LIMIT_EXCEEDED', `more ballots rejected than cast (${input.ballotsCast})`));
    return problems;
  }
  const valid = input.ballotsCast - input.ballotsRejected;
  input.votes.forEach((entry, i) => {
    if (entry.votes > valid)
      problems.push(problem(['votes', String(i), 'votes'], 'LIMIT_EXCEEDED', `more votes than valid ballots (${valid})`));
  });
  return problems;
}

/**
 * Who is elected: a candidacy with more than half of the valid ballots, of which no more than `seats`
 * (itself included) have at least its votes. A tie for the last seat elects neither of the tied.
 */
export function outcomeOf(votes: number, all: readonly number[], seats: number, valid: number): CandidacyRow['outcome'] {
  const atLeast = all.filter((other) => other >= votes).length;
  return votes * 2 > valid && atLeast <= seats ? 'ELECTED' : 'NOT_ELECTED';
}
