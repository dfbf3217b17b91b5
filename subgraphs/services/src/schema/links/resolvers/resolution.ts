import { checkYear, withSmallCellsSuppressed, type Caller } from '@gongzhi/kit';
import type { RequestResolution } from '../../../generated/graphql.ts';
import type { ResolutionRow } from '../../../loaders/index.ts';

/**
 * An area's request resolution in `year` (default: the latest year with requests in the area), from one
 * batched row per area, as `caller` may see it (each request is a resident's: small counts are withheld from
 * the public and partners, and the median with the resolved count it is taken over); null when the area
 * received no request that year.
 */
export async function resolutionIn(
  caller: Caller,
  year: number | null | undefined,
  load: (year: number | null) => Promise<ResolutionRow | null>,
): Promise<RequestResolution | null> {
  checkYear(year);
  const row = await load(year ?? null);
  if (!row) return null;
  const figures = { year: row.year, received: row.received, resolved: row.resolved, medianHours: row.medianHours };
  return withSmallCellsSuppressed(caller, figures, { counts: ['received', 'resolved'], derived: { medianHours: ['resolved'] } });
}
