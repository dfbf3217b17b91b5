import { checkYear } from '@gongzhi/kit';
import type { Context } from '../../../context.ts';
import type { FundKind, GrantTotals } from '../../../generated/graphql.ts';
import { areaKey, type AreaLevel } from '../../../loaders/index.ts';
import type { AreaReference } from '../../../mappers.ts';
import { money } from '../../common/money.ts';

/**
 * What an area's grants charged to `year` add up to, of one programme kind or of every kind. Every area
 * of a request asking the same year and kind is summed in one statement; an area without such grants
 * gets zeros, as the published figures would.
 */
export async function grantTotals(
  level: Exclude<AreaLevel, 'community'>,
  area: AreaReference,
  { year, kind }: { year: number; kind?: FundKind | null },
  { loaders }: Context,
): Promise<GrantTotals> {
  checkYear(year);
  const totals = await loaders.grantTotals({ year, kind: kind ?? null }).load(areaKey(level, area.id));
  return {
    year,
    kind: kind ?? null,
    grants: totals?.grants ?? 0,
    recipients: totals?.recipients ?? 0,
    awarded: money(totals?.awardedFen ?? 0),
    disbursed: money(totals?.disbursedFen ?? 0),
  };
}
