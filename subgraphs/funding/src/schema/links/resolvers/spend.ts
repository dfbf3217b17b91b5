import { checkYear } from '@gongzhi/kit';
import type { Context } from '../../../context.ts';
import type { Money } from '../../../generated/graphql.ts';
import { areaKey, type AreaLevel } from '../../../loaders/index.ts';
import type { AreaReference } from '../../../mappers.ts';
import { fenToCny, money } from '../../common/money.ts';

/**
 * An area's net micro-project spend (expenditure − refunds) on the grants charged to `year`, default the
 * latest budget year with micro-project grants in the district (the same year for every area, so areas
 * compare and sum). Null when the area has no micro-project grant charged to that year. All areas of a
 * request, at every level, are summed in one statement.
 */
export async function microProjectSpendIn(
  level: AreaLevel,
  area: AreaReference,
  year: number | null | undefined,
  { loaders }: Context,
): Promise<{ year: number; netFen: number } | null> {
  checkYear(year);
  const rows = await loaders.microProjectSpend.load(areaKey(level, area.id));
  const asked = year ?? rows[0]?.latestYear;
  const row = rows.find((candidate) => candidate.year === asked);
  return row ? { year: row.year, netFen: row.netFen } : null;
}

export async function microProjectSpendMoney(
  level: AreaLevel,
  area: AreaReference,
  year: number | null | undefined,
  context: Context,
): Promise<Money | null> {
  const spend = await microProjectSpendIn(level, area, year, context);
  return spend ? money(spend.netFen) : null;
}

/**
 * That spend in CNY ÷ the area's residents counted the same year, from the population the gateway passes
 * in the representation (`@requires(fields: "populationHistory { year total }")`). Null without a spend,
 * without a count for the year, or with a count of zero.
 */
export async function microProjectSpendPerResident(
  level: AreaLevel,
  area: AreaReference,
  year: number | null | undefined,
  context: Context,
): Promise<number | null> {
  const spend = await microProjectSpendIn(level, area, year, context);
  if (!spend) return null;
  const total = area.populationHistory?.find((count) => count.year === spend.year)?.total;
  return total ? fenToCny(spend.netFen) / total : null;
}
