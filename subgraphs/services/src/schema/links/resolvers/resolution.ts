import { checkYear } from '@gongzhi/kit';
import type { RequestResolution } from '../../../generated/graphql.ts';
import type { ResolutionRow } from '../../../loaders/index.ts';

/**
 * An area's request resolution in `year` (default: the latest year with requests in the area), from one
 * batched row per area; null when the area received no request that year.
 */
export async function resolutionIn(year: number | null | undefined, load: (year: number | null) => Promise<ResolutionRow | null>): Promise<RequestResolution | null> {
  checkYear(year);
  const row = await load(year ?? null);
  return row && { year: row.year, received: row.received, resolved: row.resolved, medianHours: row.medianHours };
}
