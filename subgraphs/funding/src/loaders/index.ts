import { createWaves, type Caller, type Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { fundingLoaders } from './funding.ts';
import { linkLoaders } from './links.ts';

export * from './funding.ts';
export * from './links.ts';

/**
 * Every per-item lookup of this subgraph, batched: one statement per loader per wave of the request (kit's
 * `createWaves`), however many parents ask. Built per request so nothing is cached across callers; each
 * schema module's loaders are built in `loaders/<module>.ts`.
 */
export function createLoaders(database: Database<typeof schema>, caller: Caller) {
  const waves = createWaves();
  const funding = fundingLoaders(database, caller, waves);
  return {
    /** Root statements run outside a loader are tracked too, so their rows' fields wait for the wave. */
    track: waves.track,
    ...funding,
    ...linkLoaders(database, waves, funding),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
