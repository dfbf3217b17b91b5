import { checkYear } from '@gongzhi/kit';
import type { Context } from '../../../context.ts';

/** The year a population field answers for: the one asked, or the latest year with any official count. */
export async function countedYear(year: number | null | undefined, { loaders }: Context): Promise<number | null> {
  if (year != null) return checkYear(year);
  return loaders.latestCountedYear();
}
