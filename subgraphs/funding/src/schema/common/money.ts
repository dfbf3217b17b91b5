import type { Money } from '../../generated/graphql.ts';

/** Fen as the public `Money` object (every amount of this slice is in CNY). */
export function money(fen: number): Money {
  return { amount: fen, currency: 'CNY' };
}

/** Fen as CNY (yuan), for ratios such as spend per resident. */
export function fenToCny(fen: number): number {
  return fen / 100;
}
