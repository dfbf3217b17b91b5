import type { Caller, Database, RequestContext } from '@gongzhi/kit';
import type * as schema from './db/schema.ts';
import { createLoaders, visibilityOf, type Loaders } from './loaders/index.ts';

export type ElectionsDatabase = Database<typeof schema>;

/** Per request: the database and a fresh set of DataLoaders for the caller's visibility (never shared between requests). */
export type Context = RequestContext<typeof schema, Loaders>;

export const createContext = (database: ElectionsDatabase, caller: Caller): Context => ({
  database,
  caller,
  loaders: createLoaders(database, visibilityOf(caller)),
});
