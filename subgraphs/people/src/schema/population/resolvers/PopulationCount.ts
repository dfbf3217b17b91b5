import { withSmallCellsSuppressed, type Caller } from '@gongzhi/kit';
import type { PopulationCountResolvers } from '../../../generated/graphql.ts';
import type { PopulationCountParent } from '../../../mappers.ts';

/**
 * The parts are withheld together: the total is always shown, so either part would give the other away.
 * (Derived rules are applied in order: the first pulls in `localHukou`, the second `nonLocalHukou`.)
 */
const rule = {
  counts: ['localHukou', 'nonLocalHukou'],
  derived: {
    localHukou: ['nonLocalHukou'],
    nonLocalHukou: ['localHukou'],
    nonLocalShare: ['localHukou', 'nonLocalHukou'],
  },
} as const;

/** A count as `caller` may see it: `total` is never withheld (a community counts hundreds of residents). */
export function populationAsSeenBy(caller: Caller, { year, localHukou, nonLocalHukou }: PopulationCountParent) {
  const total = localHukou + nonLocalHukou;
  const nonLocalShare = total === 0 ? null : nonLocalHukou / total;
  return withSmallCellsSuppressed(caller, { year, total, localHukou, nonLocalHukou, nonLocalShare }, rule);
}

/** Only the two parts are stored: the total and the share are derived here, then small parts withheld. */
export const PopulationCount: PopulationCountResolvers = {
  total: ({ localHukou, nonLocalHukou }) => localHukou + nonLocalHukou,
  localHukou: (count, _args, { caller }) => populationAsSeenBy(caller, count).localHukou,
  nonLocalHukou: (count, _args, { caller }) => populationAsSeenBy(caller, count).nonLocalHukou,
  nonLocalShare: (count, _args, { caller }) => populationAsSeenBy(caller, count).nonLocalShare,
  suppressed: (count, _args, { caller }) => populationAsSeenBy(caller, count).suppressed,
};
