import { problem, type FieldProblem } from '@gongzhi/kit';
import type { MatterStageRow } from '../../../db/schema.ts';
import type { MatterStage } from '../../../generated/graphql.ts';
import { requiredText } from './checks.ts';

/** 四议两公开 in order: each step follows the one before it, none skipped. */
export const stageOrder: MatterStage[] = ['PROPOSED', 'DISCUSSED', 'REVIEWED', 'RESOLVED', 'RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED'];

/** The steps that are votes (商议, 审议, 决议): they must carry. The two publications are not voted on. */
const votedStages = new Set<MatterStage>(['DISCUSSED', 'REVIEWED', 'RESOLVED']);
const publications = new Set<MatterStage>(['RESOLUTION_PUBLISHED', 'RESULT_PUBLISHED']);

export interface StepInput {
  on: string;
  body: string;
  minutes: string;
  votesFor?: number | null;
  votesAgainst?: number | null;
  abstentions?: number | null;
}

/** What a step records, checked against the rules of its stage: body, minutes and, where it votes, a count that carries. */
export function stepProblems(stage: MatterStage, input: StepInput): FieldProblem[] {
  const problems: FieldProblem[] = [];
  requiredText(problems, 'body', input.body, 200, 'the body that took the step');
  requiredText(problems, 'minutes', input.minutes, 100, 'the reference of the minutes');
  const counts = { votesFor: input.votesFor ?? null, votesAgainst: input.votesAgainst ?? null, abstentions: input.abstentions ?? null };
  const given = Object.entries(counts).filter(([, value]) => value !== null);
  if (publications.has(stage)) {
    for (const [field] of given) problems.push(problem([field], 'INVALID', 'a publication is not voted on'));
    return problems;
  }
  if (given.length === 0) {
    if (votedStages.has(stage))
      problems.push(problem(['votesFor'], 'REQUIRED', 'this step is a vote: give the votes for, against and abstentions'));
    return problems;
  }
  for (const [field, value] of Object.entries(counts)) {
    if (value === null) problems.push(problem([field], 'REQUIRED', 'give all three counts, or none'));
    else if (!Number.isSafeInteger(value) || value < 0) problems.push(problem([field], 'INVALID', 'a whole number, zero or more'));
  }
  if (problems.length === 0 && votedStages.has(stage) && counts.votesFor! <= counts.votesAgainst! + counts.abstentions!) {
    problems.push(
      problem(
        ['votesFor'],
        'INVALID',
        'the vote did not carry: the step is taken only with more votes for than against and abstentions together',
      ),
    );
  }
  return problems;
}

/** The stage row a step writes. */
export function stageRow(matterId: string, stage: MatterStage, input: StepInput): Omit<MatterStageRow, 'previousStage'> {
  return {
    id: `${matterId}-${stage.toLowerCase()}`,
    matterId,
    stage,
    heldOn: input.on,
    body: input.body.trim(),
    minutesRef: input.minutes.trim(),
    votesFor: input.votesFor ?? null,
    votesAgainst: input.votesAgainst ?? null,
    votesAbstain: input.abstentions ?? null,
  };
}
