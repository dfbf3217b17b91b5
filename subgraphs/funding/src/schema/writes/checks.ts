import { problem, type FieldProblem } from '@gongzhi/kit';

export { checkIdempotencyKey, requiredText } from '@gongzhi/kit';

/** PostgreSQL text cannot hold U+0000: refused as input rather than by the database. */
export const hasNul = (value: string) => value.includes('\u0000');

/** An id the client names: REQUIRED when blank (an optional one given blank is INVALID: leave it out instead). */
export function idOf(problems: FieldProblem[], field: string, value: string | null | undefined, required = true): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (!trimmed)
    problems.push(problem([field], required ? 'REQUIRED' : 'INVALID', required ? 'choose one' : 'leave it out rather than blank'));
  else if (hasNul(trimmed)) problems.push(problem([field], 'INVALID', 'contains a NUL character'));
  return trimmed || null;
}

/** Fen as a JSON integer: whole, and above zero unless `zeroAllowed`. */
export function checkFen(problems: FieldProblem[], field: string, amount: number, zeroAllowed = false): void {
  if (!Number.isSafeInteger(amount) || amount < (zeroAllowed ? 0 : 1)) {
    problems.push(problem([field], 'INVALID', zeroAllowed ? 'a whole number of fen, zero or more' : 'a whole number of fen above zero'));
  }
}
