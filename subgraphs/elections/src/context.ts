import type { Database } from '@gongzhi/kit';
import type * as schema from './db/schema.ts';
import { createLoaders, type Loaders } from './loaders/index.ts';

export type ElectionsDatabase = Database<typeof schema>;

/** Per request: the database and a fresh set of DataLoaders (never shared between requests). */
export interface Context {
  database: ElectionsDatabase;
  loaders: Loaders;
}

export function createContext(database: ElectionsDatabase): Context {
  return { database, loaders: createLoaders(database) };
}
