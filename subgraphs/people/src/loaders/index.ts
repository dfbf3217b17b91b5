import type { Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { linkLoaders } from './links.ts';
import { peopleLoaders } from './people.ts';
import { populationLoaders } from './population.ts';
import { workforceLoaders } from './workforce.ts';

export * from './links.ts';
export * from './people.ts';
export * from './population.ts';
export * from './workforce.ts';

/**
 * Every per-item lookup of this subgraph, batched: one statement per loader per tick, however many
 * parents ask. Built per request so nothing is cached across callers. Each schema module's loaders (those
 * its resolvers ask for; one asked for by several, with the module defining its type) are in
 * `loaders/<module>.ts`.
 */
export function createLoaders(database: Database<typeof schema>) {
  return { ...peopleLoaders(database), ...workforceLoaders(database), ...populationLoaders(database), ...linkLoaders(database) };
}

export type Loaders = ReturnType<typeof createLoaders>;
