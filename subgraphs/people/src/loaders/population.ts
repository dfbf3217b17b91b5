import { once } from '@gongzhi/kit';
import type { Database } from '@gongzhi/kit';
import { max } from 'drizzle-orm';
import type * as schema from '../db/schema.ts';
import { populationCounts } from '../db/schema.ts';

/** The latest counted year, the default of every population field (areas' counts are asked for by links: `links.ts`). */
export function populationLoaders({ db }: Database<typeof schema>) {
  return {
    /** The latest year with any official count: the default `year` of every population field. */
    latestCountedYear: once(async () => {
      const [row] = await db.select({ year: max(populationCounts.year) }).from(populationCounts);
      return row?.year ?? null;
    }),
  };
}
