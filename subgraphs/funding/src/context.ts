import type { Database } from '@gongzhi/kit';
import type * as schema from './db/schema.ts';
import { createLoaders, type Loaders } from './loaders/index.ts';

export type FundingDatabase = Database<typeof schema>;

/** Per request: the database and a fresh set of DataLoaders (never shared between requests). */
export interface Context {
  database: FundingDatabase;
  loaders: Loaders;
}

export function createContext(database: FundingDatabase): Context {
  return { database, loaders: createLoaders(database) };
}
