import { and, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** SQL twin of kit's `inForce`: validFrom ≤ date ≤ validTo, open-ended when validTo is null. */
export function inForceOn(period: { validFrom: PgColumn; validTo: PgColumn }, date: string): SQL {
  return and(lte(period.validFrom, date), or(isNull(period.validTo), sql`${period.validTo} >= ${date}`))!;
}
