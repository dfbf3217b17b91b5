import type { Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { gridLoaders } from './grid.ts';
import { organisationLoaders } from './organisations.ts';
import { structureLoaders } from './structure.ts';

export * from './grid.ts';
export * from './organisations.ts';
export * from './structure.ts';

/**
 * Every per-item lookup of this subgraph, batched: one statement per loader per tick, however many
 * parents ask. Built per request so nothing is cached across callers. Each schema module's loaders (those
 * its resolvers ask for; one asked for by several, with the module defining its type) are in
 * `loaders/<module>.ts`.
 */
export function createLoaders(database: Database<typeof schema>) {
  return { ...structureLoaders(database), ...organisationLoaders(database), ...gridLoaders(database) };
}

export type Loaders = ReturnType<typeof createLoaders>;
