import type { Caller } from './access.ts';
import { envVars, parseEnv } from './env.ts';

/** SUPPRESSION_THRESHOLD: counts below it are withheld from the public and partners (default 10). */
export const suppressionEnvShape = { SUPPRESSION_THRESHOLD: envVars.positiveInt(10) };

let threshold: number | undefined;
/** The threshold the environment sets, validated once (subgraph entry points validate it at start). */
export function suppressionThreshold(): number {
  threshold ??= parseEnv('suppression', suppressionEnvShape).SUPPRESSION_THRESHOLD;
  return threshold;
}

/** Analysts, staff and admins get exact figures; the public and partners get small cells withheld. */
export const seesExactFigures = (caller: Caller) => caller.role === 'analyst' || caller.role === 'staff' || caller.role === 'admin';

export interface CellRule<T> {
  /** Fields holding counts of people (or of anything that could single them out). */
  counts: readonly (keyof T & string)[];
  /** Fields derived from counts: withheld when any of the counts they come from is. */
  derived?: Partial<Record<keyof T & string, readonly (keyof T & string)[]>>;
}

/**
 * An aggregate as `caller` may see it: for the public and partners, every count below the threshold and
 * everything derived from one is null, and `suppressed` names them, so a client can say "fewer than 10"
 * instead of showing nothing. Everyone else gets the record unchanged, with `suppressed: []`.
 */
export function withSmallCellsSuppressed<T extends Record<string, unknown>>(
  caller: Caller,
  record: T,
  rule: CellRule<T>,
  limit = suppressionThreshold(),
): T & { suppressed: string[] } {
  if (seesExactFigures(caller)) return { ...record, suppressed: [] };
  const withheld = new Set(rule.counts.filter((field) => typeof record[field] === 'number' && (record[field] as number) < limit));
  for (const [field, sources] of Object.entries(rule.derived ?? {}) as [string, readonly string[]][]) {
    if (sources.some((source) => withheld.has(source))) withheld.add(field);
  }
  const result: Record<string, unknown> = { ...record };
  for (const field of withheld) result[field] = null;
  return { ...(result as T), suppressed: [...withheld].sort() };
}
