import { and, gte, isNull, lte, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { badInput } from './errors.ts';

/** Merges resolver maps type by type, so each module can contribute fields to a shared type (e.g. Community). */
export function mergeResolvers<T extends object>(...maps: object[]): T {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const map of maps) {
    for (const [type, fields] of Object.entries(map)) {
      if (Object.getPrototypeOf(fields) !== Object.prototype) {
        // A scalar (GraphQLScalarType) or other whole-type object: taken as is.
        if (type in merged) throw new Error(`resolver ${type} is defined twice`);
        (merged as Record<string, unknown>)[type] = fields;
        continue;
      }
      const target = (merged[type] ??= {});
      for (const [field, resolver] of Object.entries(fields as Record<string, unknown>)) {
        if (field in target) throw new Error(`resolver ${type}.${field} is defined twice`);
        target[field] = resolver;
      }
    }
  }
  return merged as T;
}

/** SQL twin of `inForce`: validFrom ≤ date ≤ validTo, open-ended when validTo is null. */
export function inForceOn(period: { validFrom: PgColumn; validTo: PgColumn }, date: string): SQL {
  return and(lte(period.validFrom, date), or(isNull(period.validTo), gte(period.validTo, date)))!;
}

export const yearRange = { min: 1900, max: 2100 } as const;

/** Rejects a `year` argument outside 1900–2100 with BAD_USER_INPUT naming the argument; returns it. */
export function checkYear<T extends number | null | undefined>(year: T, argument = 'year'): T {
  if (year != null && (!Number.isInteger(year) || year < yearRange.min || year > yearRange.max)) {
    throw badInput(`\`${argument}\` must be a year between ${yearRange.min} and ${yearRange.max}, got ${year}`, argument);
  }
  return year;
}

/** Inclusive validity periods: in force on `date` when validFrom ≤ date ≤ validTo (open-ended if null). */
export function inForce(period: { validFrom: string; validTo: string | null }, date: string): boolean {
  return period.validFrom <= date && (period.validTo === null || date <= period.validTo);
}

/** A LIKE pattern matching `text` anywhere, with the pattern characters in `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
