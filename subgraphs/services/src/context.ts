import type { Database } from '@gongzhi/kit';
import type * as schema from './db/schema.ts';
import { createLoaders, type Loaders } from './loaders/index.ts';

export type ServicesDatabase = Database<typeof schema>;

/** Per request: the database and a fresh set of DataLoaders (never shared between requests). */
export interface Context {
  database: ServicesDatabase;
  loaders: Loaders;
}

export function createContext(database: ServicesDatabase): Context {
  return { database, loaders: createLoaders(database) };
}
