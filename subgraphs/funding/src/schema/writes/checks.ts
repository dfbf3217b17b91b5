import { problem, type FieldProblem } from '@gongzhi/kit';

/** PostgreSQL text cannot hold U+0000: refused as input rather than by the database. */
export const hasNul = (value: string) => value.includes('\u0000');

/** Free text a form requires: trimmed; REQUIRED when blank, INVALID beyond `max` characters or with U+0000. */
export function requiredText(problems: FieldProblem[], field: string, value: string, max: number, blank: string): string {
  const trimmed = value.trim();
  if (!trimmed) problems.push(problem([field], 'REQUIRED', blank));
  else if (trimmed.length > max) problems.push(problem([field], 'INVALID', `at most ${max} characters`));
  else if (hasNul(trimmed)) problems.push(problem([field], 'INVALID', 'contains a NUL character'));
  return trimmed;
}

/** An id the client names: REQUIRED when blank (an optional one given blank is INVALID: leave it out instead). */
export function idOf(problems: FieldProblem[], field: string, value: string | null | undefined, required = true): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (!trimmed) problems.push(problem([field], required ? 'REQUIRED' : 'INVALID', required ? 'choose one' : 'leave it out rather than blank'));
  else if (hasNul(trimmed)) problems.push(problem([field], 'INVALID', 'contains a NUL character'));
  return trimmed || null;
}

/** The idempotency key every create takes: the client keeps it for its retries. */
export function checkIdempotencyKey(problems: FieldProblem[], key: string): void {
  if (!key.trim()) problems.push(problem(['idempotencyKey'], 'REQUIRED', 'a key the client keeps for retries'));
  else if (key.length > 200 || hasNul(key)) problems.push(problem(['idempotencyKey'], 'INVALID', 'at most 200 characters, no NUL'));
}

/** Fen as a JSON integer: whole, and above zero unless `zeroAllowed`. */
export function checkFen(problems: FieldProblem[], field: string, amount: number, zeroAllowed = false): void {
  if (!Number.isSafeInteger(amount) || amount < (zeroAllowed ? 0 : 1)) {
    problems.push(problem([field], 'INVALID', zeroAllowed ? 'a whole number of fen, zero or more' : 'a whole number of fen above zero'));
  }
}
