import { InputError, problem, type FieldProblem } from '@gongzhi/kit';
import { eq } from 'drizzle-orm';
import type { Db } from '@gongzhi/kit';
import type * as schema from '../../../db/schema.ts';
import { elections, matters } from '../../../db/schema.ts';

/** The mutations' transaction, typed with this slice's tables. */
export type Tx = Db<typeof schema>;

/** The slice's Postgres schema: where runMutation finds its idempotency keys and audit log. */
export const sliceSchema = 'elections';

export { checkIdempotencyKey, requiredText } from '@gongzhi/kit';

/** An id the client must name (its existence is checked in the transaction, or belongs to another slice). */
export function requireId(problems: FieldProblem[], path: string, value: string): void {
  if (!value.trim()) problems.push(problem([path], 'REQUIRED', 'name one by its id'));
  else if (value.length > 100) problems.push(problem([path], 'INVALID', 'not an id: at most 100 characters'));
}

/** A count of people or ballots: a whole number, zero or more. */
export function requireCount(problems: FieldProblem[], path: string[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) problems.push(problem(path, 'INVALID', 'a whole number, zero or more'));
}

/**
 * Committees do not move between communities: when this slice already records the committee (an election or
 * a matter), the community named must be the one recorded. A committee new to the slice is taken as named.
 */
export async function checkCommunity(tx: Tx, residentsCommitteeId: string, communityId: string): Promise<void> {
  const [known] = [
    ...(await tx
      .select({ communityId: elections.communityId })
      .from(elections)
      .where(eq(elections.residentsCommitteeId, residentsCommitteeId))
      .limit(1)),
    ...(await tx
      .select({ communityId: matters.communityId })
      .from(matters)
      .where(eq(matters.residentsCommitteeId, residentsCommitteeId))
      .limit(1)),
  ];
  if (known && known.communityId !== communityId) {
    throw new InputError([problem(['communityId'], 'INVALID', `this committee belongs to community ${known.communityId}`)]);
  }
}

/** Throws the problems found, if any: the transaction rolls back and they are the answer. */
export function refuse(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new InputError(problems);
}
