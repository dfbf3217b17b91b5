import type { Caller, Database, RequestContext } from '@gongzhi/kit';
import type * as schema from './db/schema.ts';
import { createLoaders, type Loaders } from './loaders/index.ts';

export type ServicesDatabase = Database<typeof schema>;

/** Per request: the database and a fresh set of DataLoaders (never shared between requests). */
export type Context = RequestContext<typeof schema, Loaders>;

export const createContext = (database: ServicesDatabase, caller: Caller): Context => ({
  database,
  caller,
  loaders: createLoaders(database, caller),
});
