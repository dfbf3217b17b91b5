import { withSmallCellsSuppressed, type Caller } from '@gongzhi/kit';
import type { Workforce } from '../../../generated/graphql.ts';
import type { WorkforceRow } from '../../../loaders/index.ts';

/** A year's workforce as `caller` may see it: each count of workers, and each education's, below the threshold withheld. */
export function workforceAsSeenBy(caller: Caller, { year, workers, recruited, recruitedByEducation }: WorkforceRow): Workforce {
  return {
    ...withSmallCellsSuppressed(caller, { year, workers, recruited }, { counts: ['workers', 'recruited'] }),
    recruitedByEducation: recruitedByEducation.map((entry) => withSmallCellsSuppressed(caller, entry, { counts: ['count'] })),
  };
}
