import type { Database } from '@gongzhi/kit';
import type * as schema from '../db/schema.ts';
import { electionLoaders, type Visibility } from './elections.ts';
import { linkLoaders } from './links.ts';
import { matterLoaders } from './matters.ts';
import { meetingLoaders } from './meetings.ts';

export * from './elections.ts';
export * from './links.ts';
export * from './matters.ts';
export * from './meetings.ts';

/**
 * Every per-item lookup of this subgraph, batched: one statement per loader per tick, however many
 * parents ask. Built per request so nothing is cached across callers, and for the caller's visibility:
 * the rows it may not see are left out in SQL, so every loader still batches as one statement. Each
 * schema module's loaders (those its resolvers ask for; one asked for by several, with the module
 * defining its type) are in `loaders/<module>.ts`.
 */
export function createLoaders(database: Database<typeof schema>, visibility: Visibility) {
  const elections = electionLoaders(database);
  return {
    ...elections,
    ...matterLoaders(database, visibility),
    ...meetingLoaders(database),
    ...linkLoaders(database, visibility, elections),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
