import { createWaves, type Caller, type Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { linkLoaders } from './links.ts';
import { projectLoaders } from './projects.ts';
import { requestLoaders } from './requests.ts';
import { serviceLoaders } from './services.ts';

export * from './filters.ts';
export * from './links.ts';
export * from './projects.ts';
export * from './requests.ts';
export * from './services.ts';

/**
 * Every per-item lookup of this subgraph, batched: one statement per loader per wave of the request (kit's
 * `createWaves`), however many parents ask. Built per request so nothing is cached across callers; each
 * schema module's loaders are built in `loaders/<module>.ts`.
 */
export function createLoaders(database: Database<typeof schema>, caller: Caller) {
  const waves = createWaves();
  const services = serviceLoaders(database, caller, waves);
  return {
    /** Root statements run outside a loader are tracked too, so their rows' fields wait for the wave. */
    track: waves.track,
    ...services,
    ...projectLoaders(database, caller, waves, services),
    ...requestLoaders(database, waves),
    ...linkLoaders(database, caller, waves),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
